import { type ChangeListener, changeNoticesOf } from './change-notices.ts';
import type { Db, DbOrTx } from './database.ts';
import { isTenantTable, tenantOf } from './tenant-scope.ts';

/** The topic migrations/0051 announces a reference table's change on ('reference:<table>'). */
export const REFERENCE_TOPIC = 'reference';

/**
 * Reference rows that change rarely and are read on every submission (a procedure's version in force, its form, its
 * papers, who decides and receives it), kept per process while no change notice names one of their tables
 * (migrations/0051). A read that started before a notice may hold what the notice announced, and is not kept.
 */
export class ReferenceCache implements ChangeListener {
  private readonly entries = new Map<string, unknown>();
  private generation = 0;

  constructor(
    private readonly tables: ReadonlySet<string>,
    private readonly maxEntries = 5000,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  async read<V>(key: string, load: () => Promise<V>): Promise<V> {
    if (this.entries.has(key)) return this.entries.get(key) as V;
    const at = this.generation;
    const value = deepFreeze(await load());
    if (at === this.generation) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value ?? '');
      this.entries.set(key, value);
    }
    return value;
  }

  readonly changed = (topic: string, key: string): void => {
    if (topic !== REFERENCE_TOPIC || !this.tables.has(key)) return;
    this.generation++;
    this.entries.clear();
  };

  readonly reset = (): void => {
    this.generation++;
    this.entries.clear();
  };
}

/** Shared between callers, so frozen: a caller that changed an entry in place would fail at once, not corrupt it. */
function deepFreeze<V>(value: V): V {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value) || value instanceof Date) return value;
  for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}

const caches = new WeakMap<Db, Map<string, ReferenceCache>>();

/**
 * Reads `key` of the cache `name` (over `tables`) through `load`, kept between calls on a handle that hears change
 * notices. Inside a transaction, or on a handle without notices, it always loads: a transaction may have changed the
 * very rows, and nobody would tell the cache.
 */
export async function readReference<V>(db: DbOrTx, name: string, tables: readonly string[], key: string, load: () => Promise<V>): Promise<V> {
  const notices = changeNoticesOf(db as Db);
  // Frozen either way, so that a caller mutating an entry fails wherever it runs, not only where entries are kept.
  if (!notices || db.isTransaction) return deepFreeze(await load());
  let byName = caches.get(db as Db);
  if (!byName) {
    byName = new Map();
    caches.set(db as Db, byName);
  }
  let cache = byName.get(name);
  if (!cache) {
    cache = new ReferenceCache(new Set(tables));
    notices.subscribe(cache);
    byName.set(name, cache);
  }
  // Entries over a province's own rows (its units, its assignments) are that province's.
  return cache.read(tables.some(isTenantTable) ? `${tenantOf(db)}:${key}` : key, load);
}
