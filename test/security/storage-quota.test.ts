import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../../src/modules/directory/demo-accounts.ts';
import { multipartBody } from '../support/multipart.ts';
import { pdfBytes } from '../support/paper-files.ts';
import { authHeaders, createTestApp, insertUser, type Session, signIn, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let citizen: Session;
let other: Session;

beforeAll(async () => {
  t = await createTestApp({ CQS_STORAGE_QUOTA_MB: '1' });
  citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
  await insertUser(t.db, { username: '079090001111', kind: 'citizen', personalId: '079090001111' });
  other = await signIn(t.app, '079090001111');
});
afterAll(async () => t.close());

const upload = (s: Session, data: Buffer) => {
  const body = multipartBody({}, { name: 'file', filename: 'giay-to.pdf', data });
  return t.app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...authHeaders(s), 'content-type': body.contentType }, payload: body.payload });
};

const fileCount = async (username: string) => {
  const row = await t.db
    .selectFrom('stored_files as f')
    .innerJoin('users as u', 'u.id', 'f.uploaded_by')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('u.username', '=', username)
    .executeTakeFirstOrThrow();
  return Number(row.n);
};

describe('storage quota per account (CQS_STORAGE_QUOTA_MB)', () => {
  it("refuses an upload that would take the account past its quota with 413 and a Vietnamese message; others' uploads go on", async () => {
    const before = await fileCount(DEMO_CITIZEN_ID);
    const used = Number(
      (await t.db.selectFrom('stored_files as f').innerJoin('users as u', 'u.id', 'f.uploaded_by').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('f.size_bytes'), eb.lit(0)).as('s')).where('u.username', '=', DEMO_CITIZEN_ID).executeTakeFirstOrThrow()).s,
    );
    // Whatever the demo citizen already keeps, one file fills what is left of 1 MB but for a few kilobytes.
    const room = 1024 * 1024 - used;
    expect(room).toBeGreaterThan(100 * 1024);
    const first = await upload(citizen, pdfBytes('vừa đủ', room - 8 * 1024));
    expect(first.statusCode).toBe(201);
    const second = await upload(citizen, pdfBytes('quá hạn mức', 16 * 1024));
    expect(second.statusCode).toBe(413);
    expect(second.headers['content-type']).toContain('application/problem+json');
    expect(second.json().detail).toContain('Kho lưu trữ của tài khoản');
    expect(second.json().errors[0]).toMatchObject({ field: 'file', code: 'quota' });
    expect(await fileCount(DEMO_CITIZEN_ID)).toBe(before + 1);
    expect((await upload(other, pdfBytes('tài khoản khác', 16 * 1024))).statusCode).toBe(201);
  });
});
