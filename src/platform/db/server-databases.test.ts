import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { citusNodes, createDatabase, databaseUrl, dropDatabase } from './server-databases.ts';

const template = inject('dbTemplate');
const adminUrl = template.kind === 'postgres' ? template.url : '';

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}
const exists = async (url: string, name: string) => (await query<{ n: string }>(url, `SELECT count(*) AS n FROM pg_database WHERE datname = '${name}'`))[0]?.n === '1';

describe.runIf(template.kind === 'postgres')('databases on a server or a cluster', () => {
  it('creates a database, copies it from a template with its rows on every node, and drops both everywhere', async () => {
    const name = `cqs_sd_${randomBytes(4).toString('hex')}`;
    const copy = `${name}_copy`;
    const cluster = await citusNodes(adminUrl);
    const nodes = cluster ? [cluster.coordinator, ...cluster.workers] : [];
    await createDatabase(adminUrl, name);
    try {
      const url = databaseUrl(adminUrl, name);
      await query(url, 'CREATE TABLE holidays_probe (day date PRIMARY KEY, reason text NOT NULL)');
      await query(url, 'CREATE TABLE rows_probe (tenant_id smallint NOT NULL, id bigint NOT NULL, PRIMARY KEY (tenant_id, id))');
      if (cluster) {
        // Rows that live on the workers, not on the coordinator: the copy must carry them on each node.
        await query(url, `SELECT create_reference_table('holidays_probe')`);
        await query(url, `SELECT create_distributed_table('rows_probe', 'tenant_id')`);
      }
      await query(url, `INSERT INTO holidays_probe VALUES ('2026-09-02', 'Quốc khánh')`);
      await query(url, 'INSERT INTO rows_probe SELECT t, i FROM generate_series(1, 34) t, generate_series(1, 3) i');
      await createDatabase(adminUrl, copy, { template: name });
      const copied = databaseUrl(adminUrl, copy);
      expect(await query(copied, 'SELECT reason FROM holidays_probe')).toEqual([{ reason: 'Quốc khánh' }]);
      expect(await query(copied, 'SELECT count(*)::int AS n, count(DISTINCT tenant_id)::int AS tenants FROM rows_probe')).toEqual([{ n: 102, tenants: 34 }]);
      for (const node of nodes) expect(await exists(databaseUrl(adminUrl, 'postgres', node), copy)).toBe(true);
    } finally {
      await dropDatabase(adminUrl, copy);
      await dropDatabase(adminUrl, name);
    }
    for (const node of cluster ? nodes : [null]) {
      const url = node ? databaseUrl(adminUrl, 'postgres', node) : adminUrl;
      expect([await exists(url, name), await exists(url, copy)]).toEqual([false, false]);
    }
  }, 120_000);

  it('refuses a name that is not a plain identifier', async () => {
    await expect(createDatabase(adminUrl, 'x; DROP DATABASE postgres')).rejects.toThrow('not a plain database name');
    await expect(dropDatabase(adminUrl, 'Robert"); --')).rejects.toThrow('not a plain database name');
  });
});
