import type { Static, TSchema } from 'typebox';
import { schemaFieldErrors } from '../http/validation.ts';

/**
 * Delivers the messages of one topic: resolves when the far side accepted the payload, throws when it refused. The
 * worker aborts `signal` when the delivery timeout runs out and stops waiting; a handler should pass it on (fetch).
 */
export interface TopicHandler {
  deliver(payload: unknown, signal: AbortSignal): Promise<void>;
}

/** The worker's registry: topic → handler. */
export type TopicHandlers = Readonly<Record<string, TopicHandler | undefined>>;

/** A failure that retrying cannot mend (a payload the handler cannot read): the message fails at once. */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
}

/** A handler whose payload is checked against the topic's schema before delivery; a malformed one fails permanently. */
export function payloadHandler<S extends TSchema>(topic: string, schema: S, deliver: (payload: Static<S>, signal: AbortSignal) => Promise<void>): TopicHandler {
  return {
    async deliver(payload, signal) {
      const errors = schemaFieldErrors(schema, payload);
      if (errors.length > 0) throw new PermanentDeliveryError(`invalid ${topic} payload: ${errors.map((e) => `${e.field || '(payload)'}: ${e.messageEn}`).join('; ')}`);
      await deliver(payload as Static<S>, signal);
    },
  };
}

/**
 * Waits for `work`, but no longer than `signal` allows: once it aborts, rejects with its reason at once, even when
 * `work` (a library that takes no signal) is still running; its late outcome is then ignored.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => {});
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
