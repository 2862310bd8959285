import { AsyncLocalStorage } from 'node:async_hooks';
import {
  AliasNode,
  AndNode,
  BinaryOperationNode,
  ColumnNode,
  type DeleteQueryNode,
  IdentifierNode,
  InsertQueryNode,
  type JoinNode,
  type KyselyPlugin,
  ListNode,
  OnConflictNode,
  OnNode,
  type OperationNode,
  OperationNodeTransformer,
  OperatorNode,
  ParensNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  PrimitiveValueListNode,
  type QueryExecutor,
  type QueryResult,
  ReferenceNode,
  type RootOperationNode,
  type SelectQueryNode,
  TableNode,
  type UnknownRow,
  type UpdateQueryNode,
  ValueListNode,
  ValueNode,
  ValuesNode,
  WhereNode,
} from 'kysely';
import { TABLE_PLACEMENTS } from './placement.ts';

/** The tenant of an installation that serves one province: the default of every tenant column (0054). */
export const INSTALLATION_TENANT = 1;

export const TENANT_COLUMN = 'tenant_id';

const TENANT_TABLES: ReadonlySet<string> = new Set(
  Object.entries(TABLE_PLACEMENTS)
    .filter(([, p]) => p.placement === 'tenant')
    .map(([table]) => table),
);

export const isTenantTable = (table: string): boolean => TENANT_TABLES.has(table);

/** The name a statement refers to a tenant table by (its alias, else its own name); undefined for any other item. */
function tenantTableName(node: OperationNode): string | undefined {
  if (TableNode.is(node)) {
    const name = node.table.identifier.name;
    return TENANT_TABLES.has(name) ? name : undefined;
  }
  if (AliasNode.is(node) && TableNode.is(node.node) && IdentifierNode.is(node.alias)) {
    return TENANT_TABLES.has(node.node.table.identifier.name) ? node.alias.name : undefined;
  }
  return undefined;
}

const namesTenant = (columns: readonly ColumnNode[] | undefined): boolean => (columns ?? []).some((c) => c.column.name === TENANT_COLUMN);

/**
 * Names one tenant in every statement Kysely builds on a tenant table (placement.ts): a filter on the tenant column
 * for each such table in FROM, USING and UPDATE (in WHERE) and in a JOIN (in its ON, so an outer join stays outer),
 * the column and its value in every INSERT row that leaves it out, and the column in an ON CONFLICT target (the
 * unique keys all end with it). Sub-queries and CTEs are scoped the same way. Raw `sql` text is not parsed: it names
 * its tenant itself.
 *
 * Why a plugin, not a `where` in every use case: on Citus a statement that forgets its tenant runs on every shard,
 * and a province could read another's rows. Here no use case can forget.
 */
export class TenantScope implements KyselyPlugin {
  readonly #fixed: number;
  readonly #fromRequest: boolean;

  /**
   * `tenantId` is the tenant of every statement; with `fromRequest`, only of those made outside `asTenant` (a
   * single-province install has nothing else), the rest taking the tenant `asTenant` names for their request or job.
   */
  constructor(tenantId: number, options: { fromRequest?: boolean } = {}) {
    this.#fixed = checkedTenant(tenantId);
    this.#fromRequest = options.fromRequest ?? false;
  }

  get tenantId(): number {
    return (this.#fromRequest ? requestTenant.getStore() : undefined) ?? this.#fixed;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return new TenantTransformer(this.tenantId).transformNode(args.node);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

function checkedTenant(tenantId: number): number {
  if (!Number.isInteger(tenantId) || tenantId < 1 || tenantId > 32767) {
    throw new RangeError(`tenant ${tenantId} is not a tenant number (1 to 32767)`);
  }
  return tenantId;
}

const requestTenant = new AsyncLocalStorage<number>();

/**
 * Runs `work` as `tenant`: every statement it makes (awaited or not) on the app's handle names that tenant. Requests
 * run inside it once their host has named a province, and jobs once per tenant.
 */
export function asTenant<T>(tenant: number, work: () => T): T {
  return requestTenant.run(checkedTenant(tenant), work);
}

/** The tenant a handle or a transaction is scoped to, for the raw statements the plugin does not read. */
export function tenantOf(db: { getExecutor(): QueryExecutor }): number {
  const scope = db.getExecutor().plugins.find((p): p is TenantScope => p instanceof TenantScope);
  if (!scope) throw new Error('this handle serves no tenant, and a statement on a tenant table needs one');
  return scope.tenantId;
}

class TenantTransformer extends OperationNodeTransformer {
  constructor(private readonly tenantId: number) {
    super();
  }

  private filter(tableName: string): OperationNode {
    return BinaryOperationNode.create(
      ReferenceNode.create(ColumnNode.create(TENANT_COLUMN), TableNode.create(tableName)),
      OperatorNode.create('='),
      ValueNode.create(this.tenantId),
    );
  }

  /** The statement's WHERE with a tenant filter for each tenant table among `items`; the old condition in parentheses. */
  private where(where: WhereNode | undefined, items: readonly OperationNode[]): WhereNode | undefined {
    const filters = items.flatMap((item) => {
      const name = tenantTableName(item);
      return name ? [this.filter(name)] : [];
    });
    if (filters.length === 0) return where;
    const all = filters.reduce((left, right) => AndNode.create(left, right));
    return WhereNode.create(where ? AndNode.create(ParensNode.create(where.where), all) : all);
  }

  /** Each JOIN of a tenant table carries its filter in ON; joins without ON (CROSS) are left to WHERE. */
  private joins(joins: readonly JoinNode[] | undefined): { joins: readonly JoinNode[] | undefined; unfiltered: OperationNode[] } {
    const unfiltered: OperationNode[] = [];
    const scoped = joins?.map((join) => {
      const name = tenantTableName(join.table);
      if (!name) return join;
      if (!join.on) {
        unfiltered.push(join.table);
        return join;
      }
      return { ...join, on: OnNode.create(AndNode.create(ParensNode.create(join.on.on), this.filter(name))) };
    });
    return { joins: scoped, unfiltered };
  }

  protected override transformSelectQuery(node: SelectQueryNode): SelectQueryNode {
    const query = super.transformSelectQuery(node);
    const { joins, unfiltered } = this.joins(query.joins);
    const where = this.where(query.where, [...(query.from?.froms ?? []), ...unfiltered]);
    return where === query.where && joins === query.joins ? query : Object.freeze({ ...query, where, joins });
  }

  protected override transformUpdateQuery(node: UpdateQueryNode): UpdateQueryNode {
    const query = super.transformUpdateQuery(node);
    const targets = query.table ? (ListNode.is(query.table) ? query.table.items : [query.table]) : [];
    const { joins, unfiltered } = this.joins(query.joins);
    const where = this.where(query.where, [...targets, ...(query.from?.froms ?? []), ...unfiltered]);
    return Object.freeze({ ...query, where, joins });
  }

  protected override transformDeleteQuery(node: DeleteQueryNode): DeleteQueryNode {
    const query = super.transformDeleteQuery(node);
    const { joins, unfiltered } = this.joins(query.joins);
    const where = this.where(query.where, [...query.from.froms, ...(query.using?.tables ?? []), ...unfiltered]);
    return Object.freeze({ ...query, where, joins });
  }

  protected override transformInsertQuery(node: InsertQueryNode): InsertQueryNode {
    const query = super.transformInsertQuery(node);
    if (!query.into || !tenantTableName(query.into)) return query;
    let scoped = query;
    if (!namesTenant(query.columns) && query.values) {
      if (!ValuesNode.is(query.values)) {
        throw new Error(`an INSERT into ${query.into.table.identifier.name} from a query must select ${TENANT_COLUMN} itself`);
      }
      scoped = InsertQueryNode.cloneWith(scoped, {
        columns: [...(query.columns ?? []), ColumnNode.create(TENANT_COLUMN)],
        values: ValuesNode.create(
          query.values.values.map((row) =>
            PrimitiveValueListNode.is(row)
              ? PrimitiveValueListNode.create([...row.values, this.tenantId])
              : ValueListNode.create([...row.values, ValueNode.create(this.tenantId)]),
          ),
        ),
      });
    }
    const conflict = query.onConflict;
    if (conflict?.columns && !namesTenant(conflict.columns)) {
      scoped = InsertQueryNode.cloneWith(scoped, {
        onConflict: OnConflictNode.cloneWith(conflict, { columns: [...conflict.columns, ColumnNode.create(TENANT_COLUMN)] }),
      });
    }
    return scoped;
  }
}
