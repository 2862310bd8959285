import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Simulator } from '../../simulators/s3-simulator.ts';
import { sha256Of } from './file-store.ts';
import { S3FileStore } from './s3-file-store.ts';

let s3: Awaited<ReturnType<typeof startS3Simulator>>;
let store: S3FileStore;
beforeAll(async () => {
  s3 = await startS3Simulator();
  store = new S3FileStore(s3.settings);
});
afterAll(async () => {
  store.close();
  await s3.close();
});

const keyOf = (sha: string) => `${sha.slice(0, 2)}/${sha.slice(2, 4)}/${sha}`;
const ageObject = (sha: string, ms: number) => {
  const o = s3.objects.get(keyOf(sha));
  if (!o) throw new Error('not stored');
  s3.objects.set(keyOf(sha), { ...o, modified: new Date(Date.now() - ms) });
};

describe('S3-compatible file store', () => {
  it('stores content under its SHA-256 and reads it back, from another process’s store too', async () => {
    const data = Buffer.from('Tờ khai đăng ký khai sinh — bản quét');
    const sha = await store.put(data);
    expect(sha).toBe(sha256Of(data));
    expect(s3.objects.get(keyOf(sha))?.data.equals(data)).toBe(true);
    const other = new S3FileStore(s3.settings);
    try {
      expect((await other.read(sha)).equals(data)).toBe(true);
    } finally {
      other.close();
    }
  });

  it('refreshes the time of content stored again instead of writing it twice', async () => {
    const data = Buffer.from('same bytes twice');
    const sha = await store.put(data);
    ageObject(sha, 3_600_000);
    const before = s3.state.requests;
    await store.put(data);
    // A look and a copy onto itself: no second upload of the bytes.
    expect(s3.state.requests - before).toBe(2);
    expect(Date.now() - (s3.objects.get(keyOf(sha))?.modified.getTime() ?? 0)).toBeLessThan(60_000);
  });

  it('removes content only when nothing stored it after the given time', async () => {
    const old = await store.put(Buffer.from('left over an hour ago'));
    const fresh = await store.put(Buffer.from('uploaded just now'));
    ageObject(old, 3_600_000);
    const cutoff = new Date(Date.now() - 1_800_000);
    await store.remove(old, cutoff);
    await store.remove(fresh, cutoff);
    // Within the second of the cut-off, the object is kept: S3 shows times to the second.
    const edge = await store.put(Buffer.from('touched in the same second as the cut-off'));
    await store.remove(edge, new Date((s3.objects.get(keyOf(edge))?.modified.getTime() ?? 0) + 500));
    expect([s3.objects.has(keyOf(old)), s3.objects.has(keyOf(fresh)), s3.objects.has(keyOf(edge))]).toEqual([false, true, true]);
    await expect(store.remove(old, cutoff)).resolves.toBeUndefined();
  });

  it('reports missing content as a missing file, as the disk store does', async () => {
    await expect(store.read('0'.repeat(64))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(store.read('../etc/passwd')).rejects.toThrow('not a SHA-256 digest');
  });

  it('retries a busy store, and fails when it stays busy', async () => {
    s3.state.failNext = 1;
    const sha = await store.put(Buffer.from('after one 503'));
    expect(s3.objects.has(keyOf(sha))).toBe(true);
    s3.state.failNext = 10;
    await expect(store.put(Buffer.from('three 503 in a row'))).rejects.toMatchObject({ $metadata: { httpStatusCode: 503 } });
    s3.state.failNext = 0;
  });

  it('is refused with a wrong secret, and the store refuses bytes that do not match their checksum', async () => {
    const wrong = new S3FileStore({ ...s3.settings, secretAccessKey: 'not-the-secret' });
    try {
      // The first request is a HEAD, whose refusal carries no body: the status says it.
      await expect(wrong.put(Buffer.from('x'))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
      await expect(wrong.read(sha256Of(Buffer.from('Tờ khai đăng ký khai sinh — bản quét')))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    } finally {
      wrong.close();
    }
    const client = new S3Client({ endpoint: s3.settings.endpoint, region: s3.settings.region, forcePathStyle: true, credentials: s3.settings, requestChecksumCalculation: 'WHEN_REQUIRED' });
    try {
      const damaged = new PutObjectCommand({ Bucket: s3.settings.bucket, Key: 'aa/bb/damaged', Body: Buffer.from('damaged'), ChecksumSHA256: Buffer.alloc(32).toString('base64') });
      await expect(client.send(damaged)).rejects.toMatchObject({ name: 'BadDigest' });
      expect(s3.objects.has('aa/bb/damaged')).toBe(false);
    } finally {
      client.destroy();
    }
  });
});
