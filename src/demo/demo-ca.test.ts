import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '../../test/support/test-db.ts';
import { CalendarStore } from '../platform/calendar/calendar-store.ts';
import type { DatabaseHandle } from '../platform/db/database.ts';
import { DiskFileStore } from '../platform/files/file-store.ts';
import { trustListFromPem } from '../platform/signing/pdf-signatures.ts';
import { seedDemoCitizenDossiers } from '../modules/dossiers/demo-citizen-dossiers.ts';
import { demoSigningAt } from './demo-ca.ts';

let h: DatabaseHandle;
let dir: string;

beforeAll(async () => {
  h = await createTestDb();
  dir = await mkdtemp(path.join(os.tmpdir(), 'cqs-demo-ca-'));
});
afterAll(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the demo CA', () => {
  it('is made once in the data folder and read back on later starts', async () => {
    const first = await demoSigningAt(dir);
    const again = await demoSigningAt(dir);
    expect(again.caFile).toBe(first.caFile);
    expect(again.signer.cert.serialNumber.isEqual(first.signer.cert.serialNumber)).toBe(true);
    expect(await readFile(first.caFile, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it("signs the demo citizen's result, which verifies as valid and trusted on the demo's trust list", async () => {
    const signing = await demoSigningAt(dir);
    const files = new DiskFileStore(path.join(dir, 'files'), { signatureTrust: trustListFromPem(await readFile(signing.caFile, 'utf8')) });
    await seedDemoCitizenDossiers(h.db, await new CalendarStore(h.db).get(), undefined, { files, signer: signing.signer, chain: signing.chain });
    const returned = await h.db.selectFrom('dossiers').select(['id', 'status', 'result_kind', 'result_number']).where('idempotency_key', '=', 'demo-cong-dan-4').executeTakeFirstOrThrow();
    expect(returned).toMatchObject({ status: 10, result_kind: 'electronic', result_number: '125/QĐ-STP' });
    const result = await h.db
      .selectFrom('dossier_papers as p')
      .innerJoin('stored_files as f', 'f.id', 'p.file_id')
      .select(['f.signature_status', 'f.signature_trusted', 'f.signatures'])
      .where('p.dossier_id', '=', returned.id)
      .where('p.kind', '=', 'result')
      .executeTakeFirstOrThrow();
    expect(result).toMatchObject({ signature_status: 'valid', signature_trusted: true, signatures: [{ signer: { commonName: 'Lãnh đạo Sở Tư pháp (dữ liệu mẫu)' }, issuer: { commonName: 'CA dữ liệu mẫu CQS (chỉ dùng thử)' } }] });
  });
});
