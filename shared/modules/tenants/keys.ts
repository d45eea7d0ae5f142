import { type ItemKey, type TenantContext, tenantPk } from '../../platform/table/tenant-context.js';

/**
 * The tenants module's key strings. Two of them are platform-level by necessity and the only
 * keys in the table that do not start with the tenant: the API-key lookup (the authorizer knows
 * no tenant yet) and the tenant directory (sign-up, scheduled jobs walking tenants).
 */
export const tenantKeys = {
  tenant: (t: TenantContext): ItemKey => ({ pk: tenantPk(t), sk: 'TENANT' }),
  directoryPk: 'TENANTS',
  directoryEntry: (t: TenantContext): ItemKey => ({ pk: 'TENANTS', sk: `TENANT#${t.tenantId}` }),
  /** Platform-level: the authorizer finds a key by the SHA-256 of its secret. */
  apiKeyLookup: (secretHash: string): ItemKey => ({ pk: `APIKEY#${secretHash}`, sk: 'APIKEY' }),
  apiKey: (t: TenantContext, keyId: string): ItemKey => ({ pk: tenantPk(t), sk: `APIKEY#${keyId}` }),
  apiKeyPrefix: 'APIKEY#',
  tenantPartition: (t: TenantContext): string => tenantPk(t),
};
