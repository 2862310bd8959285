import { hmac } from '../signing.ts';
import type { Transport } from './outbox.ts';

/**
 * The SMS-gateway protocol CQS speaks: POST {to, text, ref} as JSON, signed with HMAC-SHA256 of the body in the
 * `x-cqs-signature` header; any 2xx means accepted. Real gateways are wrapped to this protocol by a small adapter on
 * their side or replaced here; the local simulator (src/simulators/sms-gateway-simulator.ts) speaks it for tests and
 * the demo.
 */

export function smsGatewayTransport(url: string, secret: string): Transport {
  return {
    name: 'sms-gateway',
    async send(m) {
      const body = JSON.stringify({ to: m.recipient, text: m.body });
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-cqs-signature': hmac(secret, body) }, body, signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
    },
  };
}
