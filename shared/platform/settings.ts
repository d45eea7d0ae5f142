/** A township's settings and their defaults (contract: "Tenants and keys"). Read by every module. */
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
