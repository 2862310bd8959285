import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../platform/signing.ts';

/**
 * A loopback HTTP server taking JSON POSTs to `path` signed the way CQS signs them (`x-cqs-signature`, HMAC-SHA256
 * of the body): 404 elsewhere, 401 for a bad signature, 400 for broken JSON; the rest goes to `handle`.
 */
export async function startSignedJsonServer(secret: string, path: string, handle: (body: unknown, res: ServerResponse) => void) {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const signature = req.headers['x-cqs-signature'];
      if (req.method !== 'POST' || req.url !== path) return void res.writeHead(404).end();
      if (!verifySignature(secret, raw, typeof signature === 'string' ? signature : undefined)) return void res.writeHead(401).end();
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        return void res.writeHead(400).end();
      }
      handle(body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}
