import type pg from 'pg';
import type { Db } from './database.ts';

/** The channel the `cqs_notify_change` triggers announce on (migration 0042), as 'topic:key'. */
export const CHANGE_CHANNEL = 'cqs_changes';

export interface ChangeListener {
  /** A row under `topic` changed: `key` names it, or is '*' when every entry of the topic may be affected. */
  readonly changed: (topic: string, key: string) => void;
  /** Notices may have been missed (no connection was listening for a while): forget everything. */
  readonly reset: () => void;
}

/**
 * Change notices of the database, as in-process caches need them. Every pooled connection LISTENs, so a process
 * hears its own commits before COMMIT returns (PostgreSQL delivers a session's own notices ahead of ReadyForQuery),
 * and another process's within milliseconds. While the pool holds no connection nobody listens: the listeners are
 * reset then, so a cache never outlives the notices that keep it true.
 */
export class ChangeNotices {
  private readonly listeners = new Set<ChangeListener>();

  /** Starts listening on every connection the pool opens from now on. */
  attach(pool: pg.Pool): void {
    pool.on('connect', (client) => {
      client.on('notification', (message) => {
        if (message.channel === CHANGE_CHANNEL) this.dispatch(message.payload ?? '');
      });
      // Queued ahead of any statement the pool hands this connection out for.
      client.query(`LISTEN ${CHANGE_CHANNEL}`).catch((error: Error) => {
        console.warn(`change notices unavailable on a connection: ${error.message}`);
        this.resetAll();
      });
    });
    pool.on('remove', () => {
      if (pool.totalCount === 0) this.resetAll();
    });
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private dispatch(payload: string): void {
    const colon = payload.indexOf(':');
    if (colon < 0) return;
    const topic = payload.slice(0, colon);
    const key = payload.slice(colon + 1);
    for (const listener of this.listeners) listener.changed(topic, key);
  }

  private resetAll(): void {
    for (const listener of this.listeners) listener.reset();
  }
}

const noticesByDb = new WeakMap<Db, ChangeNotices>();

export function registerChangeNotices(db: Db, notices: ChangeNotices): void {
  noticesByDb.set(db, notices);
}

/** The notices of a handle opened by `openDatabase`; undefined for any other, whose readers must then not cache. */
export function changeNoticesOf(db: Db): ChangeNotices | undefined {
  return noticesByDb.get(db);
}
