import pg from 'pg';

/**
 * Databases created and dropped on a PostgreSQL server, or on a Citus cluster through its coordinator (tests,
 * benchmarks, `cqs` commands that make a database of their own). Citus 12.1 does not carry CREATE DATABASE to its
 * workers, and keeps its metadata (which nodes, which shards) in each database: on a cluster the database is made on
 * every node, with the extension and the coordinator's node list in a new one. A copy of a template is made on every
 * node too, so that the shards the template's metadata names exist in the copy on each worker.
 */

export interface ServerNode {
  readonly host: string;
  readonly port: number;
}

/** A database of the server named by `adminUrl`, which points at a maintenance database (usually `postgres`). */
export function databaseUrl(adminUrl: string, name: string, node?: ServerNode): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  if (node) {
    url.hostname = node.host;
    url.port = String(node.port);
  }
  return url.toString();
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
function checkedName(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a plain database name: ${name}`);
  return name;
}

/** The coordinator and the active primary workers when `adminUrl`'s database has Citus, else null. */
export async function citusNodes(adminUrl: string): Promise<{ coordinator: ServerNode; workers: ServerNode[] } | null> {
  return withClient(adminUrl, async (client) => {
    const has = await client.query<{ found: boolean }>(`SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus') AS found`);
    if (!has.rows[0]?.found) return null;
    const nodes = await client.query<{ nodename: string; nodeport: number; groupid: number }>(
      `SELECT nodename, nodeport, groupid FROM pg_dist_node WHERE noderole = 'primary' AND isactive ORDER BY groupid, nodeport`,
    );
    const url = new URL(adminUrl);
    const coordinatorRow = nodes.rows.find((n) => n.groupid === 0);
    const coordinator = coordinatorRow ? { host: coordinatorRow.nodename, port: coordinatorRow.nodeport } : { host: url.hostname, port: Number(url.port || 5432) };
    return { coordinator, workers: nodes.rows.filter((n) => n.groupid !== 0).map((n) => ({ host: n.nodename, port: n.nodeport })) };
  });
}

// CREATE DATABASE … TEMPLATE fails while anything else is connected to the template, and DROP DATABASE … FORCE closes
// only the sessions of the node it runs on. Citus keeps a background worker in every database that has the
// extension, holding connections to the same database on the other nodes (distributed deadlock detection). Stopped
// by SIGTERM these workers exit for good, and start again only when a session uses Citus in that database, which
// copying or dropping it does not; their connections are closed after them. Anything else connected to a template
// (a test still holding it) makes the copy fail, as on one server.
async function stopCitusSessions(adminUrl: string, nodes: readonly ServerNode[], database: string): Promise<void> {
  const stop = async (node: ServerNode, which: string) => {
    await withClient(databaseUrl(adminUrl, 'postgres', node), (c) => c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND ${which}`, [database]));
  };
  for (const node of nodes) await stop(node, `backend_type LIKE 'Citus%'`);
  for (const node of nodes) await stop(node, `application_name LIKE 'citus_internal%'`);
}

/** Creates `name` (empty, or a copy of `template`) on the server or on every node of the cluster. */
export async function createDatabase(adminUrl: string, name: string, options: { template?: string } = {}): Promise<void> {
  const statement = `CREATE DATABASE ${checkedName(name)}${options.template ? ` TEMPLATE ${checkedName(options.template)}` : ''}`;
  const cluster = await citusNodes(adminUrl);
  const create = (url: string) => withClient(url, (c) => c.query(statement));
  if (!cluster) return void (await create(adminUrl));
  if (options.template) await stopCitusSessions(adminUrl, [cluster.coordinator, ...cluster.workers], options.template);
  for (const worker of cluster.workers) await create(databaseUrl(adminUrl, 'postgres', worker));
  await create(adminUrl);
  if (options.template) return;
  for (const worker of cluster.workers) await withClient(databaseUrl(adminUrl, name, worker), (c) => c.query('CREATE EXTENSION citus'));
  await withClient(databaseUrl(adminUrl, name), async (c) => {
    await c.query('CREATE EXTENSION citus');
    await c.query('SELECT citus_set_coordinator_host($1, $2)', [cluster.coordinator.host, cluster.coordinator.port]);
    for (const worker of cluster.workers) await c.query('SELECT citus_add_node($1, $2)', [worker.host, worker.port]);
  });
}

/** Drops `name` wherever `createDatabase` made it, closing whatever is still connected. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const statement = `DROP DATABASE IF EXISTS ${checkedName(name)} WITH (FORCE)`;
  const cluster = await citusNodes(adminUrl);
  if (!cluster) return void (await withClient(adminUrl, (c) => c.query(statement)));
  // FORCE closes the sessions of the node it runs on; the Citus connections other nodes open to it may come back
  // between the two, so they are stopped first on every node.
  const nodes = [cluster.coordinator, ...cluster.workers];
  for (let attempt = 1; ; attempt++) {
    try {
      await stopCitusSessions(adminUrl, nodes, name);
      for (const node of nodes) await withClient(databaseUrl(adminUrl, 'postgres', node), (c) => c.query(statement));
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt >= 5) throw error;
    }
  }
}
