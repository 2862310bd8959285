import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../platform/signing.ts';

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
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = req.headers['x-cqs-signature'];
      if (req.method !== 'POST' || !verifySignature(secret, body, typeof signature === 'string' ? signature : undefined)) {
        res.writeHead(401).end();
        return;
      }
      if (state.failNext > 0) {
        state.failNext -= 1;
        res.writeHead(503).end();
        return;
      }
      let message: { to?: unknown; text?: unknown };
      try {
        message = JSON.parse(body) as { to?: unknown; text?: unknown };
      } catch {
        res.writeHead(400).end();
        return;
      }
      if (typeof message.to !== 'string' || !/^0\d{9}$/.test(message.to) || typeof message.text !== 'string') {
        res.writeHead(422).end();
        return;
      }
      received.push({ to: message.to, text: message.text });
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/sms`, received, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}
