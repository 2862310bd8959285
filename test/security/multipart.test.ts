import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CITIZEN_ID, DEMO_PASSWORD } from '../../src/modules/directory/demo-accounts.ts';
import { multipartBody } from '../support/multipart.ts';
import { pdfBytes } from '../support/paper-files.ts';
import { anonCsrf, createTestApp, type Session, signIn, type TestApp } from '../support/test-app.ts';

const MB = 1024 * 1024;
const BOUNDARY = 'cqs-security-boundary';
const CONTENT_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

/**
 * A multipart body produced on demand, 64 KB at a time, which counts how much the server pulled: a request that is
 * refused before its body is read pulls (almost) nothing, whatever its size.
 */
class CountingBody extends Readable {
  pulled = 0;
  readonly #chunks: Generator<Buffer>;
  constructor(fields: Record<string, string>, files: readonly { name: string; bytes: number }[]) {
    super();
    this.#chunks = (function* () {
      for (const [k, v] of Object.entries(fields)) yield Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
      for (const f of files) {
        yield Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${f.name}"; filename="lon.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`);
        for (let sent = 0; sent < f.bytes; sent += 64 * 1024) yield Buffer.alloc(Math.min(64 * 1024, f.bytes - sent), 0x20);
        yield Buffer.from('\r\n');
      }
      yield Buffer.from(`--${BOUNDARY}--\r\n`);
    })();
  }
  override _read(): void {
    const next = this.#chunks.next();
    if (next.done) this.push(null);
    else {
      this.pulled += next.value.length;
      this.push(next.value);
    }
  }
}

let t: TestApp;
let dataDir: string;
let citizen: Session;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'cqs-multipart-'));
  t = await createTestApp({ CQS_DATA_DIR: dataDir, CQS_UPLOAD_REQUEST_MB: '25' });
  citizen = await signIn(t.app, DEMO_CITIZEN_ID, DEMO_PASSWORD);
});
afterAll(async () => t.close());

const post = (url: string, payload: Readable | Buffer | string, headers: Record<string, string> = {}, contentType = CONTENT_TYPE) =>
  t.app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType, ...headers } });

const temporaries = async () => (await readdir(path.join(dataDir, 'tmp'))).filter((n) => n.endsWith('.part'));

describe('a multipart body is not read before the request may be served', () => {
  it('answers an unknown route 404 without reading the 10 MB body', async () => {
    const body = new CountingBody({}, [{ name: 'file', bytes: 10 * MB }]);
    const res = await post('/khong-co-trang-nay', body, await anonCsrf(t.app));
    expect(res.statusCode).toBe(404);
    expect(body.pulled).toBeLessThan(256 * 1024);
  });

  it('answers an anonymous upload 401 without reading it, even with a valid anonymous CSRF token', async () => {
    const body = new CountingBody({}, [{ name: 'file', bytes: 10 * MB }]);
    const res = await post('/api/v1/files', body, await anonCsrf(t.app));
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.headers.connection).toBe('close');
    expect(body.pulled).toBeLessThan(256 * 1024);
    const page = new CountingBody({ _csrf: 'x' }, [{ name: 'upload_1', bytes: 10 * MB }]);
    const html = await post('/dich-vu-cong/nop/1.001', page);
    expect(html.statusCode).toBe(401);
    expect(page.pulled).toBeLessThan(256 * 1024);
  });

  it('refuses a signed-in caller with a wrong CSRF token in the header, the query or the first field, reading no file', async () => {
    for (const [url, headers, fields] of [
      ['/api/v1/files', { 'x-csrf-token': 'wrong' }, {}],
      ['/api/v1/files?_csrf=wrong', {}, {}],
      ['/api/v1/files', {}, { _csrf: 'wrong' }],
      ['/api/v1/files', {}, { note: 'first field is not the token', _csrf: citizen.csrf }],
      ['/api/v1/files', {}, {}], // the first part is the file itself
    ] as const) {
      const body = new CountingBody(fields, [{ name: 'file', bytes: 10 * MB }]);
      const res = await post(url, body, { cookie: citizen.cookie, ...headers });
      expect(res.statusCode, url).toBe(403);
      expect(res.json().code).toBe('csrf');
      expect(body.pulled).toBeLessThan(256 * 1024);
    }
  });

  it('takes the token from the header, the query or the first field, and keeps no temporary file afterwards', async () => {
    for (const [url, headers, fields] of [
      ['/api/v1/files', { 'x-csrf-token': citizen.csrf }, {}],
      [`/api/v1/files?_csrf=${encodeURIComponent(citizen.csrf)}`, {}, {}],
      ['/api/v1/files', {}, { _csrf: citizen.csrf }],
    ] as const) {
      const body = multipartBody(fields, { name: 'file', filename: 'to-khai.pdf', data: pdfBytes(url + JSON.stringify(fields)) });
      const res = await post(url, body.payload, { cookie: citizen.cookie, ...headers }, body.contentType);
      expect(res.statusCode, url).toBe(201);
    }
    expect(await temporaries()).toEqual([]);
  });
});

describe('multipart limits', () => {
  const upload = (payload: Readable | Buffer | string, contentType = CONTENT_TYPE) => post('/api/v1/files', payload, { cookie: citizen.cookie, 'x-csrf-token': citizen.csrf }, contentType);

  it('answers a file over 10 MB with 413 problem+json, kept on disk only up to the limit and removed after', async () => {
    const res = await upload(new CountingBody({}, [{ name: 'file', bytes: 11 * MB }]));
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors[0]).toMatchObject({ field: 'file', code: 'too_large' });
    expect(await temporaries()).toEqual([]);
  });

  it('stops reading a body past the request limit (413), whether its length is declared or not', async () => {
    const body = new CountingBody({}, [1, 2, 3].map(() => ({ name: 'file', bytes: 9 * MB })));
    const res = await upload(body);
    expect(res.statusCode).toBe(413);
    expect(body.pulled).toBeLessThan(26 * MB);
    const declared = new CountingBody({}, [{ name: 'file', bytes: MB }]);
    const early = await post('/api/v1/files', declared, { cookie: citizen.cookie, 'x-csrf-token': citizen.csrf, 'content-length': String(30 * MB) });
    expect(early.statusCode).toBe(413);
    expect(declared.pulled).toBeLessThan(256 * 1024);
    expect(await temporaries()).toEqual([]);
  });

  it('answers 400, never 500, to too many fields or files, no boundary, a truncated body, a reserved field name', async () => {
    const manyFields = multipartBody(Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`f${i}`, 'x'])));
    const manyFiles = multipartBody({}, Array.from({ length: 13 }, (_, i) => ({ name: 'file', filename: `${i}.pdf`, data: pdfBytes(String(i)) })));
    const whole = multipartBody({}, { name: 'file', filename: 'a.pdf', data: pdfBytes('cut') });
    const cases: [Buffer | string, string][] = [
      [manyFields.payload, manyFields.contentType],
      [manyFiles.payload, manyFiles.contentType],
      [whole.payload, 'multipart/form-data'],
      [whole.payload.subarray(0, whole.payload.length - 30), whole.contentType],
      ['', whole.contentType],
      [multipartBody({ __proto__: 'x' } as Record<string, string>).payload, CONTENT_TYPE],
      [`--${BOUNDARY}\r\nContent-Disposition: form-data; name="constructor"\r\n\r\nx\r\n--${BOUNDARY}--\r\n`, CONTENT_TYPE],
    ];
    for (const [payload, contentType] of cases) {
      const res = await upload(payload, contentType);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect(await temporaries()).toEqual([]);
  });
});
