import {
  type Compilable,
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import pg from 'pg';

/**
 * Statements that start with this comment may be held back and sent together with the transaction's COMMIT (or
 * with whatever statement comes next), saving a round trip. The audit event every mutation writes last is one: on
 * a short mutation that round trip would otherwise cost as much as the event itself.
 * Without the batching dialect the comment is just a comment and the statement runs at once.
 */
export const DEFERRABLE = '/* cqs:deferrable */';

/** An element of a PostgreSQL array literal, as node-postgres writes arrays it sends as parameters. */
const arrayElement = (value: unknown): string => {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return arrayLiteral(value);
  const text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
};
const arrayLiteral = (values: readonly unknown[]): string => `{${values.map(arrayElement).join(',')}}`;

// Untyped quoted literals, as node-postgres sends every parameter as untyped text: the server gives each the type its
// place needs (a number may stand for text, a string for a uuid or jsonb).
const literal = (value: unknown): string => {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return `'${String(value)}'`;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return pg.escapeLiteral(value.toISOString());
  if (Buffer.isBuffer(value)) return pg.escapeLiteral(`\\x${value.toString('hex')}`);
  if (Array.isArray(value)) return pg.escapeLiteral(arrayLiteral(value));
  return pg.escapeLiteral(typeof value === 'string' ? value : JSON.stringify(value));
};

/** The statement with its parameters written in as literals, for the simple protocol (one string, many statements). */
export function inlineParameters(query: CompiledQuery): string {
  return query.sql.replace(/\$(\d+)/g, (_, n: string) => literal(query.parameters[Number(n) - 1]));
}

/**
 * Runs a write whose result nobody reads (a timeline entry, counts, outgoing messages, the audit event) as
 * deferrable: on PostgreSQL it reaches the server with the transaction's next statement or its COMMIT, in the same
 * round trip; elsewhere it runs at once. An error in it surfaces there and rolls the transaction back as usual.
 */
export async function executeDeferred(db: { executeQuery(query: CompiledQuery): Promise<QueryResult<unknown>> }, query: Compilable): Promise<void> {
  const compiled = query.compile();
  await db.executeQuery(CompiledQuery.raw(`${DEFERRABLE} ${compiled.sql}`, [...compiled.parameters]));
}

/** A connection that holds deferrable statements while a transaction is open. */
class BatchingConnection implements DatabaseConnection {
  pending: string[] = [];
  inTransaction = false;

  constructor(readonly inner: DatabaseConnection) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.inTransaction && query.sql.startsWith(DEFERRABLE)) {
      this.pending.push(inlineParameters(query));
      return { rows: [] };
    }
    await this.flush();
    return this.inner.executeQuery<R>(query);
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    await this.flush();
    yield* this.inner.streamQuery<R>(query, chunkSize);
  }

  /** Sends what was held back, in order, before anything else reaches the server. */
  async flush(suffix?: string): Promise<boolean> {
    if (this.pending.length === 0) return false;
    const text = [...this.pending, ...(suffix ? [suffix] : [])].join(';\n');
    this.pending = [];
    // An error stops the rest of the string, COMMIT included: the transaction then rolls back as usual.
    await this.inner.executeQuery(CompiledQuery.raw(text));
    return true;
  }
}

class BatchingDriver implements Driver {
  readonly #wrapped = new WeakMap<DatabaseConnection, BatchingConnection>();

  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    let wrapped = this.#wrapped.get(connection);
    if (!wrapped) {
      wrapped = new BatchingConnection(connection);
      this.#wrapped.set(connection, wrapped);
    }
    return wrapped;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as BatchingConnection;
    c.pending = [];
    c.inTransaction = false;
    await this.inner.releaseConnection(c.inner);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const c = connection as BatchingConnection;
    await this.inner.beginTransaction(c.inner, settings);
    c.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as BatchingConnection;
    c.inTransaction = false;
    if (!(await c.flush('COMMIT'))) await this.inner.commitTransaction(c.inner);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as BatchingConnection;
    c.pending = [];
    c.inTransaction = false;
    await this.inner.rollbackTransaction(c.inner);
  }

  // Savepoints: what was held back belongs before the savepoint, so it is sent first.
  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    const c = connection as BatchingConnection;
    await c.flush();
    await this.inner.savepoint?.(c.inner, name, compile);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    const c = connection as BatchingConnection;
    c.pending = [];
    await this.inner.rollbackToSavepoint?.(c.inner, name, compile);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    const c = connection as BatchingConnection;
    await c.flush();
    await this.inner.releaseSavepoint?.(c.inner, name, compile);
  }
}

/** The dialect with commit batching of deferrable statements (see `DEFERRABLE`). */
export function withCommitBatching(dialect: Dialect): Dialect {
  return {
    createDriver: () => new BatchingDriver(dialect.createDriver()),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}
