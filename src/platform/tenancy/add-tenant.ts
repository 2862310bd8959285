import { sql } from 'kysely';
import { type Actor, genesisHash, recordAudit, STREAMS } from '../audit/audit-log.ts';
import type { Db } from '../db/database.ts';
import { asTenant } from '../db/tenant-scope.ts';
import { AppError, type FieldError } from '../errors.ts';

export interface NewTenant {
  readonly id: number;
  readonly provinceCode: string;
  readonly name: string;
  readonly hosts: readonly string[];
}

const HOST = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;

/** Every problem of `t` at once; empty when it can be added. */
function problemsOf(t: NewTenant): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, messageVi: string, messageEn: string) => errors.push({ field, code: 'invalid', messageVi, messageEn });
  if (!Number.isInteger(t.id) || t.id < 1 || t.id > 32767) add('id', 'Số hiệu tỉnh là số nguyên từ 1 đến 32767.', 'A whole number from 1 to 32767.');
  if (!/^[0-9]{2}$/.test(t.provinceCode)) add('provinceCode', 'Mã tỉnh gồm 2 chữ số (mã thống kê).', 'Two digits (the GSO code).');
  if (t.name.trim().length === 0 || t.name.length > 200) add('name', 'Tên tỉnh từ 1 đến 200 ký tự.', '1 to 200 characters.');
  const bad = t.hosts.find((h) => !HOST.test(h));
  if (bad !== undefined) add('hosts', `Tên miền không hợp lệ: ${bad.slice(0, 100)}.`, 'Lower-case host names only.');
  return errors;
}

/**
 * Adds a province to the installation (migrations/0056): its row, the host names it answers on, and the start of its
 * own audit chains (the stream heads at their genesis and the sealer's mark), all in one transaction with the audit
 * event that records it, the first of that province's log. The app processes serve it once restarted.
 */
export async function addTenant(db: Db, actor: Actor, t: NewTenant): Promise<void> {
  const errors = problemsOf(t);
  if (errors.length > 0) throw new AppError('validation', { messageVi: 'Thông tin tỉnh chưa hợp lệ.', fieldErrors: errors });
  await asTenant(t.id, () =>
    db.transaction().execute(async (tx) => {
      const taken = await tx
        .selectFrom('tenants')
        .select(['id', 'province_code'])
        .where((eb) => eb.or([eb('id', '=', t.id), eb('province_code', '=', t.provinceCode)]))
        .executeTakeFirst();
      if (taken) throw new AppError('conflict', { messageVi: `Tỉnh mã ${taken.province_code} đã có (số hiệu ${taken.id}).` });
      await tx.insertInto('tenants').values({ id: t.id, province_code: t.provinceCode, name: t.name.trim() }).execute();
      if (t.hosts.length > 0) await tx.insertInto('tenant_hosts').values(t.hosts.map((host) => ({ host, tenant: t.id }))).execute();
      // Tenant 1's were made by migrations 0013 and 0050; another's start here, at the same genesis.
      const heads = Array.from({ length: STREAMS }, (_, stream) => sql`(${t.id}::smallint, ${stream}::smallint, 0, ${genesisHash(stream)}, ${genesisHash(stream)})`);
      await sql`INSERT INTO audit_stream_heads (tenant_id, stream, seq, hash, prev_hash) VALUES ${sql.join(heads)}
        ON CONFLICT (stream, tenant_id) DO NOTHING`.execute(tx);
      await tx.insertInto('audit_seal_state').values({ mark: '0' }).onConflict((oc) => oc.column('id').doNothing()).execute();
      await recordAudit(tx, actor, { action: 'tenancy.tenant_added', entityType: 'tenant', entityId: String(t.id), after: { provinceCode: t.provinceCode, name: t.name, hosts: t.hosts } });
    }),
  );
}
