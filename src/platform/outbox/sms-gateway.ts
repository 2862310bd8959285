import { hmac } from '../signing.ts';
import { payloadHandler, type TopicHandler } from './handlers.ts';
import { SmsPayload } from './schema.ts';

/**
 * The 'sms' topic through the SMS-gateway protocol CQS speaks: POST {to, text} as JSON, signed with HMAC-SHA256 of
 * the body in the `x-cqs-signature` header; any 2xx means accepted. Real gateways are wrapped to this protocol by a
 * small adapter on their side or replaced here; the local simulator (src/simulators/sms-gateway-simulator.ts) speaks
 * it for tests and the demo.
 */
export function smsHandler(url: string, secret: string): TopicHandler {
  return payloadHandler('sms', SmsPayload, async (m, signal) => {
    const body = JSON.stringify({ to: m.to, text: m.text });
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-cqs-signature': hmac(secret, body) }, body, signal });
    if (!res.ok) throw new Error(`SMS gateway answered ${res.status}`);
  });
}
