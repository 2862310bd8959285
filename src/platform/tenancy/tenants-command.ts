import { systemActor } from '../audit/audit-log.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { addTenant } from './add-tenant.ts';
import { TenantDirectory } from './tenants.ts';

/** Values of a repeatable `--name value` option, in order. */
function optionValues(args: readonly string[], name: string): string[] {
  return args.flatMap((a, i) => (a === name && i + 1 < args.length ? [args[i + 1] ?? ''] : []));
}

/**
 * `cqs tenants list` prints the provinces served and their hosts; `cqs tenants add --id N --province CC --name "…"
 * [--host H]…` adds one. Answers the exit status: 0, 1 when refused (every problem printed), 64 for bad usage.
 */
export async function runTenantsCommand(db: Db, args: readonly string[], out: { write(line: string): void }): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    const directory = await TenantDirectory.load(db);
    if (directory.tenants.length === 0) out.write('One province, tenant 1 (none listed): every host serves it.');
    for (const t of directory.tenants) out.write(`${t.id}\t${t.provinceCode}\t${t.name}\t${t.hosts.join(' ') || '(any host while it is the only one)'}`);
    return 0;
  }
  if (sub !== 'add') return 64;
  const [id, province, name] = ['--id', '--province', '--name'].map((o) => optionValues(rest, o)[0]);
  if (id === undefined || province === undefined || name === undefined) return 64;
  try {
    await addTenant(db, systemActor('cqs tenants add'), { id: Number(id), provinceCode: province, name, hosts: optionValues(rest, '--host').map((h) => h.toLowerCase()) });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    out.write(`Refused: ${error.messageVi}`);
    for (const f of error.fieldErrors) out.write(`  ${f.field}: ${f.messageVi}`);
    return 1;
  }
  out.write(`Province ${province} added as tenant ${id}. Restart the CQS processes to serve it.`);
  return 0;
}
