import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface StoredObject {
  readonly data: Buffer;
  readonly modified: Date;
  readonly metadata: Readonly<Record<string, string>>;
}

const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
// S3 keeps times to the second, and so does this simulator, so that clients meet the same precision here.
const toSecond = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000);

// RFC 3986 encoding of one path segment or query part, as Signature Version 4 requires.
const uriEncode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function errorXml(res: ServerResponse, status: number, code: string, message: string, head = false): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(head ? undefined : `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}

/**
 * Checks an AWS Signature Version 4 `Authorization` header as S3 does: the credential's key and scope, the canonical
 * request over the signed headers, and the payload's hash when it is signed. Returns an error message or null.
 */
function signatureError(req: IncomingMessage, url: URL, body: Buffer, keys: { accessKeyId: string; secretAccessKey: string; region: string }): string | null {
  const auth = req.headers.authorization ?? '';
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
  if (!match) return 'missing or malformed Authorization header';
  const [, accessKeyId, day, region, signedHeaders, signature] = match as unknown as [string, string, string, string, string, string];
  if (accessKeyId !== keys.accessKeyId) return 'unknown access key';
  if (region !== keys.region) return 'wrong region in the credential scope';
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!amzDate.startsWith(day)) return 'x-amz-date does not match the credential scope';
  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
  if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256Hex(body)) return 'x-amz-content-sha256 does not match the body';
  const headers = signedHeaders.split(';');
  if (!headers.includes('host') || !headers.includes('x-amz-date')) return 'host and x-amz-date must be signed';
  const canonicalHeaders = headers.map((h) => `${h}:${String(req.headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const query = [...url.searchParams.entries()]
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const path = url.pathname.split('/').map((segment) => uriEncode(decodeURIComponent(segment))).join('/');
  const canonical = [req.method, path, query, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${keys.secretAccessKey}`, day), region), 's3'), 'aws4_request');
  const expected = hmac(key, toSign);
  return timingSafeEqual(expected, Buffer.from(signature, 'hex')) ? null : 'signature does not match';
}

/**
 * A local S3-compatible object store for the tests: one bucket in memory, path-style addressing, PutObject (with
 * x-amz-checksum-sha256 checked), CopyObject onto an object, GetObject, HeadObject and DeleteObject, every request
 * signed with Signature Version 4 and refused (403 SignatureDoesNotMatch) when the signature is wrong.
 * `failNext` answers the next requests with 503 SlowDown, as a busy store does, to exercise retries.
 */
export async function startS3Simulator(options: { bucket?: string; region?: string; accessKeyId?: string; secretAccessKey?: string } = {}) {
  const keys = { accessKeyId: options.accessKeyId ?? 'cqs-test-key', secretAccessKey: options.secretAccessKey ?? 'cqs-test-secret-key-0123456789', region: options.region ?? 'vn-local-1' };
  const bucket = options.bucket ?? 'cqs-files';
  const objects = new Map<string, StoredObject>();
  const state = { failNext: 0, requests: 0 };

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    state.requests += 1;
    const url = new URL(req.url ?? '/', 'http://s3.local');
    const head = req.method === 'HEAD';
    if (state.failNext > 0) {
      state.failNext -= 1;
      return errorXml(res, 503, 'SlowDown', 'Please reduce your request rate.', head);
    }
    const refused = signatureError(req, url, body, keys);
    if (refused) return errorXml(res, 403, 'SignatureDoesNotMatch', refused, head);
    const [, bucketName = '', ...rest] = url.pathname.split('/');
    if (bucketName !== bucket) return errorXml(res, 404, 'NoSuchBucket', 'The specified bucket does not exist.', head);
    const key = rest.map((s) => decodeURIComponent(s)).join('/');
    if (key === '') return errorXml(res, 400, 'InvalidRequest', 'an object key is required', head);
    const found = objects.get(key);
    const metadataOf = () => Object.fromEntries(Object.entries(req.headers).flatMap(([h, v]) => (h.startsWith('x-amz-meta-') ? [[h.slice(11), String(v)]] : [])));
    switch (req.method) {
      case 'PUT': {
        const copySource = req.headers['x-amz-copy-source'];
        if (copySource !== undefined) {
          const source = objects.get(decodeURIComponent(String(copySource)).replace(/^\/?[^/]+\//, ''));
          if (!source) return errorXml(res, 404, 'NoSuchKey', 'The specified key does not exist.');
          const modified = toSecond(new Date());
          objects.set(key, { data: source.data, modified, metadata: req.headers['x-amz-metadata-directive'] === 'REPLACE' ? metadataOf() : source.metadata });
          res.writeHead(200, { 'content-type': 'application/xml' });
          return void res.end(`<?xml version="1.0" encoding="UTF-8"?><CopyObjectResult><LastModified>${modified.toISOString()}</LastModified><ETag>"${sha256Hex(source.data).slice(0, 32)}"</ETag></CopyObjectResult>`);
        }
        const checksum = req.headers['x-amz-checksum-sha256'];
        if (checksum !== undefined && checksum !== createHash('sha256').update(body).digest('base64')) return errorXml(res, 400, 'BadDigest', 'The SHA256 you specified did not match the calculated checksum.');
        objects.set(key, { data: body, modified: toSecond(new Date()), metadata: metadataOf() });
        res.writeHead(200, { etag: `"${sha256Hex(body).slice(0, 32)}"` });
        return void res.end();
      }
      case 'GET':
      case 'HEAD': {
        if (!found) return errorXml(res, 404, 'NoSuchKey', 'The specified key does not exist.', head);
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': found.data.length, 'last-modified': found.modified.toUTCString(), etag: `"${sha256Hex(found.data).slice(0, 32)}"` });
        return void res.end(head ? undefined : found.data);
      }
      case 'DELETE':
        objects.delete(key);
        res.writeHead(204);
        return void res.end();
      default:
        return errorXml(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    settings: { endpoint: `http://127.0.0.1:${port}`, bucket, ...keys },
    objects,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
