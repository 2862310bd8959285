import { hmac } from '../signing.ts';

/**
 * The postal-service protocol CQS speaks to send results by public post (bưu chính công ích): POST
 * `{url}/shipments` with JSON {reference, recipient: {name, address, phone}, contents}, signed with HMAC-SHA256 of the
 * body in `x-cqs-signature`; the operator answers 201 (or 200 for a reference it already has) with {trackingNumber}.
 * The same reference always names the same shipment, so a retried hand-over does not send the result twice. A real
 * operator is connected by an adapter speaking this protocol; src/simulators/postal-simulator.ts speaks it for tests
 * and the demo.
 */
export interface Shipment {
  readonly reference: string;
  readonly recipient: { readonly name: string; readonly address: string; readonly phone: string | null };
  readonly contents: string;
}

export interface PostalService {
  ship(shipment: Shipment): Promise<{ trackingNumber: string }>;
}

export class PostalError extends Error {}

export function postalServiceAt(url: string, secret: string): PostalService {
  return {
    async ship(shipment) {
      const body = JSON.stringify(shipment);
      let res: Response;
      try {
        res = await fetch(`${url.replace(/\/$/, '')}/shipments`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-cqs-signature': hmac(secret, body) }, body, signal: AbortSignal.timeout(10_000) });
      } catch (error) {
        throw new PostalError(`postal service unreachable: ${(error as Error).message}`);
      }
      if (res.status !== 200 && res.status !== 201) throw new PostalError(`postal service answered ${res.status}`);
      const answer = (await res.json()) as { trackingNumber?: unknown };
      if (typeof answer.trackingNumber !== 'string' || answer.trackingNumber === '') throw new PostalError('postal service gave no tracking number');
      return { trackingNumber: answer.trackingNumber };
    },
  };
}
