/** A township's settings and their defaults (contract: "Tenants and keys"). Read by every module. */
export interface TenantSettings {
  staleAfterDays: number;
  verificationCycleDays: number;
  timeZone: string;
  /** The longest an API key may live (new keys expire by then at the latest); null: no maximum. */
  maxKeyAgeDays: number | null;
}

export const defaultSettings: TenantSettings = {
  staleAfterDays: 120,
  verificationCycleDays: 90,
  timeZone: 'Asia/Shanghai',
  maxKeyAgeDays: null,
};
