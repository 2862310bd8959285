import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CallbackBody, type Checkout, checkoutSignature, hmac, sameSignature } from '../platform/payment/gateway.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function checkoutOf(q: URLSearchParams): Checkout {
  return { order: q.get('order') ?? '', amount: Number(q.get('amount')), returnUrl: q.get('return') ?? '', callbackUrl: q.get('callback') ?? '' };
}

function page(res: ServerResponse, c: Checkout, sig: string): void {
  const hidden = Object.entries({ order: c.order, amount: String(c.amount), return: c.returnUrl, callback: c.callbackUrl, sig })
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`)
    .join('');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Cổng thanh toán mô phỏng</title></head>
<body style="font-family:sans-serif;max-width:30rem;margin:1rem auto;padding:0 1rem"><main><h1>Cổng thanh toán mô phỏng</h1>
<p>Đây là trình mô phỏng cổng thanh toán dùng cho thử nghiệm và trình diễn; không có tiền thật được chuyển.</p>
<p>Số tiền: <strong>${c.amount.toLocaleString('vi-VN')} ₫</strong></p>
<form method="post" action="/pay/confirm">${hidden}<button type="submit">Thanh toán</button></form>
<form method="post" action="/pay/cancel">${hidden}<button type="submit">Hủy</button></form></main></body></html>`);
}

/**
 * A local payment gateway speaking CQS's protocol: checks the checkout signature, shows a pay/cancel page, then sends
 * the signed callback and returns the browser. `lastCallback` lets tests replay or tamper with what it sent.
 */
export async function startPaymentGatewaySimulator(secret: string) {
  const state: { lastCallback: { url: string; body: string; signature: string } | null } = { lastCallback: null };
  const finish = async (res: ServerResponse, c: Checkout, status: CallbackBody['status']) => {
    const body = JSON.stringify({ order: c.order, amount: c.amount, status, providerRef: `SIM-${randomUUID()}`, nonce: randomUUID(), timestamp: new Date().toISOString() } satisfies CallbackBody);
    const signature = hmac(secret, body);
    state.lastCallback = { url: c.callbackUrl, body, signature };
    const answer = await fetch(c.callbackUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-payment-signature': signature }, body, signal: AbortSignal.timeout(10_000) });
    if (!answer.ok) {
      res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' }).end(`CQS từ chối thông báo thanh toán (${answer.status}).`);
      return;
    }
    res.writeHead(303, { location: c.returnUrl }).end();
  };
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://simulator');
      const q = req.method === 'POST' ? await readForm(req) : url.searchParams;
      const c = checkoutOf(q);
      if (!sameSignature(checkoutSignature(secret, c), q.get('sig') ?? undefined) || !Number.isInteger(c.amount) || c.amount <= 0) {
        res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Yêu cầu thanh toán không hợp lệ (sai chữ ký).');
        return;
      }
      if (req.method === 'GET' && url.pathname === '/pay') page(res, c, q.get('sig') ?? '');
      else if (req.method === 'POST' && url.pathname === '/pay/confirm') await finish(res, c, 'paid');
      else if (req.method === 'POST' && url.pathname === '/pay/cancel') await finish(res, c, 'cancelled');
      else res.writeHead(404).end();
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}
