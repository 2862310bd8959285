import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartBody } from '../../../test/support/multipart.ts';
import { pdfBytes } from '../../../test/support/paper-files.ts';
import { authHeaders, createTestApp, type Session, signIn, type TestApp } from '../../../test/support/test-app.ts';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../../modules/directory/demo-accounts.ts';
import { startS3Simulator } from '../../simulators/s3-simulator.ts';
import { sha256Of } from './file-store.ts';

let s3: Awaited<ReturnType<typeof startS3Simulator>>;
let t: TestApp;
let citizen: Session;
beforeAll(async () => {
  s3 = await startS3Simulator();
  const { endpoint, bucket, region, accessKeyId, secretAccessKey } = s3.settings;
  t = await createTestApp({ CQS_S3_ENDPOINT: endpoint, CQS_S3_BUCKET: bucket, CQS_S3_REGION: region, CQS_S3_ACCESS_KEY_ID: accessKeyId, CQS_S3_SECRET_ACCESS_KEY: secretAccessKey });
  citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
});
afterAll(async () => {
  await t.close();
  await s3.close();
});

const upload = (data: Buffer) => {
  const body = multipartBody({}, { name: 'file', filename: 'giay-to.pdf', data });
  return t.app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...authHeaders(citizen), 'content-type': body.contentType }, payload: body.payload });
};
const rowsOf = async (sha: string) => (await t.db.selectFrom('stored_files').select('id').where('sha256', '=', sha).execute()).length;

describe('uploads with CQS_S3_ENDPOINT set', () => {
  it('keeps the content in the bucket, where every app process reads it', async () => {
    const data = pdfBytes('Giấy khai sinh, bản sao — lưu trên kho S3');
    const res = await upload(data);
    expect(res.statusCode, res.body).toBe(201);
    const sha = sha256Of(data);
    expect(s3.objects.get(`${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`)?.data.equals(data)).toBe(true);
    expect(await rowsOf(sha)).toBe(1);
  });

  it('answers a store that stays down with a problem and writes no row for bytes it could not keep', async () => {
    const data = pdfBytes('Tải lên khi kho lưu trữ ngừng');
    s3.state.failNext = 100;
    try {
      const res = await upload(data);
      expect(res.statusCode).toBeGreaterThanOrEqual(500);
      expect(res.headers['content-type']).toContain('application/problem+json');
    } finally {
      s3.state.failNext = 0;
    }
    expect(await rowsOf(sha256Of(data))).toBe(0);
    expect((await upload(data)).statusCode).toBe(201);
  });
});
