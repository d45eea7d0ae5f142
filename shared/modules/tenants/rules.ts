import type { Role } from '../../platform/access/roles.js';
import type { TenantSettings } from '../../platform/settings.js';

export { defaultSettings, type TenantSettings } from '../../platform/settings.js';

export interface Tenant {
  tenantId: string;
  townshipName: string;
  settings: TenantSettings;
}

export interface ApiKeyRecord {
  keyId: string;
  name: string;
  role: Role;
  gridIds: string[] | null;
  createdAt: string;
  revokedAt: string | null;
}

/** Id prefixes this module mints. */
export const tenantIdPrefix = 't';
export const apiKeyIdPrefix = 'k';
