import { hmac } from '../signing.ts';

export { hmac, sameSignature } from '../signing.ts';

/**
 * CQS's payment-gateway protocol (redirect checkout + signed server-to-server callback):
 * - checkout: the browser goes to `{gateway}/pay?order&amount&return&callback&sig`, sig = HMAC-SHA256 of
 *   "order|amount|return|callback";
 * - callback: the gateway POSTs JSON {order, amount, status, providerRef, nonce, timestamp} to `callback`, with
 *   `x-payment-signature` = HMAC-SHA256 of the raw body; CQS accepts each nonce once and only fresh timestamps.
 * A real provider is connected by an adapter speaking this protocol; src/simulators/payment-gateway-simulator.ts
 * speaks it for tests and the demo.
 */

export interface Checkout {
  readonly order: string;
  readonly amount: number;
  readonly returnUrl: string;
  readonly callbackUrl: string;
}

export const checkoutSignature = (secret: string, c: Checkout) => hmac(secret, `${c.order}|${c.amount}|${c.returnUrl}|${c.callbackUrl}`);

export function checkoutUrl(gatewayUrl: string, secret: string, c: Checkout): string {
  const q = new URLSearchParams({ order: c.order, amount: String(c.amount), return: c.returnUrl, callback: c.callbackUrl, sig: checkoutSignature(secret, c) });
  return `${gatewayUrl.replace(/\/$/, '')}/pay?${q.toString()}`;
}

export interface CallbackBody {
  readonly order: string;
  readonly amount: number;
  readonly status: 'paid' | 'cancelled';
  readonly providerRef: string;
  readonly nonce: string;
  readonly timestamp: string;
}

export const CALLBACK_MAX_AGE_MS = 10 * 60_000;
