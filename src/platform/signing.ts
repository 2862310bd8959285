import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 in hex: how CQS signs what it exchanges with gateways (SMS, payment, postal). */
export const hmac = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');

/** Compares signatures in constant time; a missing one never matches. */
export function sameSignature(expected: string, given: string | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether `signature` is the HMAC of `body` under `secret`. */
export const verifySignature = (secret: string, body: string, signature: string | undefined) => sameSignature(hmac(secret, body), signature);
