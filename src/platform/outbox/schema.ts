import { type Static, Type } from 'typebox';
import { Uuid } from '../http/common-schemas.ts';

/** Payload of the 'email' topic (delivered over SMTP). */
export const EmailPayload = Type.Object({ to: Type.String({ minLength: 3, maxLength: 320 }), subject: Type.String({ maxLength: 500 }), text: Type.String({ maxLength: 100_000 }) });
export type EmailPayload = Static<typeof EmailPayload>;

/** Payload of the 'sms' topic (delivered through the SMS gateway). */
export const SmsPayload = Type.Object({ to: Type.String({ minLength: 3, maxLength: 20 }), text: Type.String({ minLength: 1, maxLength: 1000 }) });
export type SmsPayload = Static<typeof SmsPayload>;

export const OutboxMessageView = Type.Object({
  id: Type.String(),
  topic: Type.String(),
  payload: Type.Record(Type.String(), Type.Unknown()),
  recordType: Type.Union([Type.String(), Type.Null()]),
  recordId: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  nextAttemptAt: Type.String({ format: 'date-time' }),
  sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type OutboxMessageView = Static<typeof OutboxMessageView>;

export const OutboxListQuery = Type.Object({ status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('failed')])) }, { additionalProperties: false });
export type OutboxListQuery = Static<typeof OutboxListQuery>;

export const OutboxMessageParams = Type.Object({ id: Uuid });
