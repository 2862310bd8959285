import { executeDeferred } from '../db/commit-batching.ts';
import type { DbOrTx } from '../db/database.ts';
import type { EmailPayload, SmsPayload } from './schema.ts';

/**
 * The payload of each topic. A module that adds a topic (webhooks, document packages…) extends this interface by
 * declaration merging and registers a handler for it with the worker (src/platform/outbox/handlers.ts).
 */
export interface OutboxTopics {
  email: EmailPayload;
  sms: SmsPayload;
}

export interface OutgoingMessage<T extends keyof OutboxTopics> {
  readonly topic: T;
  readonly payload: OutboxTopics[T];
  /** Same key, same message: enqueueing twice (a retried request) sends once. */
  readonly dedupeKey: string;
  /** The record that caused the message, for people reading the outbox; not a foreign key. */
  readonly record?: { readonly type: string; readonly id: string };
}

/** A message of any topic (what a transition hands the engine to enqueue). */
export type AnyOutgoingMessage = { [T in keyof OutboxTopics]: OutgoingMessage<T> }[keyof OutboxTopics];

/** Writes a message in the caller's transaction: it leaves only if the change that caused it commits. */
export async function enqueueMessage<T extends keyof OutboxTopics>(tx: DbOrTx, m: OutgoingMessage<T>): Promise<void> {
  await enqueueMessages(tx, [m]);
}

/** Writes the messages of one change in one statement (a dossier's e-mail and SMS), in the caller's transaction. */
export async function enqueueMessages(tx: DbOrTx, messages: readonly OutgoingMessage<keyof OutboxTopics>[]): Promise<void> {
  if (messages.length === 0) return;
  const now = new Date();
  await executeDeferred(
    tx,
    tx
    .insertInto('outbox_messages')
    .values(
      messages.map((m) => ({
        topic: m.topic,
        payload: JSON.stringify(m.payload),
        dedupe_key: m.dedupeKey,
        record_type: m.record?.type ?? null,
        record_id: m.record?.id ?? null,
        next_attempt_at: now,
        lease_until: null,
        lease_owner: null,
        last_error: null,
        created_at: now,
        sent_at: null,
      })),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing()),
  );
}

/** What one person is told, by e-mail and by SMS (cut to one long SMS), to whichever contacts they have; once per key. */
export function contactMessages(
  contact: { readonly email: string | null; readonly phone: string | null },
  message: { readonly key: string; readonly subject: string; readonly text: string },
  record: { readonly type: string; readonly id: string },
): AnyOutgoingMessage[] {
  return [
    ...(contact.email ? [{ topic: 'email' as const, payload: { to: contact.email, subject: message.subject, text: message.text }, dedupeKey: `${message.key}:email`, record }] : []),
    ...(contact.phone ? [{ topic: 'sms' as const, payload: { to: contact.phone, text: message.text.slice(0, 300) }, dedupeKey: `${message.key}:sms`, record }] : []),
  ];
}
