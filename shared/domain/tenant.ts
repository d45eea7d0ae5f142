/** Tenant settings and their defaults (contract: "Tenants and keys"). */
export interface TenantSettings {
  staleAfterDays: number;
  verificationCycleDays: number;
  timeZone: string;
}

export const defaultSettings: TenantSettings = {
  staleAfterDays: 120,
  verificationCycleDays: 90,
  timeZone: 'Asia/Shanghai',
};

export interface Tenant {
  tenantId: string;
  townshipName: string;
  settings: TenantSettings;
}
