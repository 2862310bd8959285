import { startSignedJsonServer } from './signed-json-server.ts';

export interface ReceivedSms {
  readonly to: string;
  readonly text: string;
}

/**
 * A local SMS gateway speaking CQS's gateway protocol: checks the signature (401 when it is wrong), validates the
 * number, and keeps accepted messages in memory. `failNext` makes it refuse the next requests, to exercise retries.
 */
export async function startSmsGatewaySimulator(secret: string) {
  const received: ReceivedSms[] = [];
  const state = { failNext: 0 };
  const server = await startSignedJsonServer(secret, '/sms', (body, res) => {
    if (state.failNext > 0) {
      state.failNext -= 1;
      return void res.writeHead(503).end();
    }
    const message = body as { to?: unknown; text?: unknown };
    if (typeof message.to !== 'string' || !/^0\d{9}$/.test(message.to) || typeof message.text !== 'string') return void res.writeHead(422).end();
    received.push({ to: message.to, text: message.text });
    res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
  });
  return { url: `${server.origin}/sms`, received, state, close: server.close };
}
