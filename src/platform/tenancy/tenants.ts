import type { Db } from '../db/database.ts';
import { INSTALLATION_TENANT } from '../db/tenant-scope.ts';

export interface Tenant {
  readonly id: number;
  readonly provinceCode: string;
  readonly name: string;
  readonly hosts: readonly string[];
}

/**
 * The provinces an installation serves (migrations/0056), read once when a process starts: adding a province is an
 * operator's step (`cqs tenants add`), after which the app processes restart. With no province listed, or one,
 * every request is that one province's; with several, the request's host says which.
 */
export class TenantDirectory {
  readonly #byHost: ReadonlyMap<string, Tenant>;

  constructor(readonly tenants: readonly Tenant[]) {
    this.#byHost = new Map(tenants.flatMap((t) => t.hosts.map((h) => [h, t] as const)));
  }

  static async load(db: Db): Promise<TenantDirectory> {
    const [rows, hosts] = await Promise.all([
      db.selectFrom('tenants').select(['id', 'province_code', 'name']).orderBy('id').execute(),
      db.selectFrom('tenant_hosts').select(['host', 'tenant']).orderBy('host').execute(),
    ]);
    return new TenantDirectory(
      rows.map((r) => ({ id: r.id, provinceCode: r.province_code, name: r.name, hosts: hosts.filter((h) => h.tenant === r.id).map((h) => h.host) })),
    );
  }

  /** Whether requests must name their province by host. */
  get several(): boolean {
    return this.tenants.length > 1;
  }

  /** The tenants a job runs for, one after the other. */
  get ids(): readonly number[] {
    return this.tenants.length === 0 ? [INSTALLATION_TENANT] : this.tenants.map((t) => t.id);
  }

  /** The tenant a request's Host header names; undefined when several are served and none answers on it. */
  forHost(hostHeader: string | undefined): number | undefined {
    if (!this.several) return this.tenants[0]?.id ?? INSTALLATION_TENANT;
    return this.#byHost.get(hostOnly(hostHeader))?.id;
  }
}

/** `Host: Example.gov.vn:8080` → `example.gov.vn`; an IPv6 literal keeps its brackets. */
function hostOnly(header: string | undefined): string {
  const h = (header ?? '').trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.indexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}
