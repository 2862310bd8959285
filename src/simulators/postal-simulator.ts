import type { Shipment } from '../platform/postal/postal-service.ts';
import { startSignedJsonServer } from './signed-json-server.ts';

/**
 * A local postal operator speaking CQS's postal protocol: checks the signature (401), validates the shipment (422),
 * gives each new reference a tracking number (201) and the same one again for a known reference (200).
 */
export async function startPostalSimulator(secret: string) {
  const shipments = new Map<string, Shipment & { trackingNumber: string }>();
  const server = await startSignedJsonServer(secret, '/shipments', (body, res) => {
    const s = body as Partial<Shipment>;
    if (typeof s.reference !== 'string' || !s.reference || typeof s.recipient?.name !== 'string' || typeof s.recipient.address !== 'string' || s.recipient.address.length < 5) {
      return void res.writeHead(422).end();
    }
    const known = shipments.get(s.reference);
    const trackingNumber = known?.trackingNumber ?? `EB${String(100_000_000 + shipments.size).slice(1)}VN`;
    if (!known) shipments.set(s.reference, { ...(s as Shipment), trackingNumber });
    res.writeHead(known ? 200 : 201, { 'content-type': 'application/json' }).end(JSON.stringify({ trackingNumber }));
  });
  return { url: server.origin, shipments, close: server.close };
}
