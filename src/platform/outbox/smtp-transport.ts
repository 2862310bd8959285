import nodemailer from 'nodemailer';
import type { Transport } from './outbox.ts';

/** E-mail over SMTP (any server: the province's mail relay in production, the local sink in tests and the demo). */
export function smtpTransport(url: string, from: string): Transport {
  const transporter = nodemailer.createTransport(url);
  return {
    name: 'smtp',
    async send(m) {
      await transporter.sendMail({ from, to: m.recipient, subject: m.subject ?? 'Thông báo từ CQS', text: m.body });
    },
  };
}
