import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Shipment } from '../platform/postal/postal-service.ts';
import { verifySignature } from '../platform/signing.ts';

/**
 * A local postal operator speaking CQS's postal protocol: checks the signature (401), validates the shipment (422),
 * gives each new reference a tracking number (201) and the same one again for a known reference (200).
 */
export async function startPostalSimulator(secret: string) {
  const shipments = new Map<string, Shipment & { trackingNumber: string }>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = req.headers['x-cqs-signature'];
      if (req.method !== 'POST' || req.url !== '/shipments') return void res.writeHead(404).end();
      if (!verifySignature(secret, body, typeof signature === 'string' ? signature : undefined)) return void res.writeHead(401).end();
      let s: Partial<Shipment>;
      try {
        s = JSON.parse(body) as Partial<Shipment>;
      } catch {
        return void res.writeHead(400).end();
      }
      if (typeof s.reference !== 'string' || !s.reference || typeof s.recipient?.name !== 'string' || typeof s.recipient.address !== 'string' || s.recipient.address.length < 5) {
        return void res.writeHead(422).end();
      }
      const known = shipments.get(s.reference);
      const trackingNumber = known?.trackingNumber ?? `EB${String(100_000_000 + shipments.size).slice(1)}VN`;
      if (!known) shipments.set(s.reference, { ...(s as Shipment), trackingNumber });
      res.writeHead(known ? 200 : 201, { 'content-type': 'application/json' }).end(JSON.stringify({ trackingNumber }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, shipments, close: () => new Promise<void>((r) => server.close(() => r())) };
}
