/**
 * The one piece of key knowledge every module shares: a tenant-owned key starts with
 * `TENANT#<tenantId>`. Each module builds its own key strings (its `keys.ts`) on top of
 * `tenantPk`; nothing addresses a tenant's item without a TenantContext. The two exceptions —
 * the API-key lookup and the tenant directory — are the tenants module's, and say so.
 */
export interface TenantContext {
  readonly tenantId: string;
}

export type ItemKey = { pk: string; sk: string };

const tenantPrefix = 'TENANT#';

/** The tenant's own partition (and the prefix of every key the tenant owns). */
export const tenantPk = (t: TenantContext): string => `${tenantPrefix}${t.tenantId}`;

/** Whether a key belongs to some tenant (platform-level items do not). */
export const isTenantKey = (pk: string): boolean => pk.startsWith(tenantPrefix);

/** Parse the tenant id back out of a key (stream records, reconciliation). */
export function tenantOfKey(pk: string): string | undefined {
  const m = /^TENANT#([^#]+)/.exec(pk);
  return m?.[1];
}
