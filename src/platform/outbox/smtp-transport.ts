import nodemailer from 'nodemailer';
import { payloadHandler, type TopicHandler } from './handlers.ts';
import { EmailPayload } from './schema.ts';

/**
 * The 'email' topic over SMTP (any server: the province's mail relay in production, the local sink in tests and the
 * demo). Nodemailer takes no abort signal, so its own connection, greeting and socket timeouts are set to the
 * delivery timeout too: a relay that never answers has its socket closed, not kept open after the worker gave up.
 */
export function emailHandler(url: string, from: string, timeoutMs = 15_000): TopicHandler {
  const transporter = nodemailer.createTransport({ url, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs });
  return payloadHandler('email', EmailPayload, async (m) => {
    await transporter.sendMail({ from, to: m.to, subject: m.subject, text: m.text });
  });
}
