/** A township's settings and their defaults (contract: "Tenants and keys"). Read by every module. */
export interface TenantSettings {
  staleAfterDays: number;
  verificationCycleDays: number;
  timeZone: string;
  /** The longest an API key may live (new keys expire by then at the latest); null: no maximum. */
  maxKeyAgeDays: number | null;
}

/** Days between inspections of a rental house, by its management class (docs/housing.md). */
export interface InspectionIntervals {
  A: number;
  B: number;
  C: number;
}

/**
 * The housing module's settings (docs/housing.md, "Tenant settings"). Stored with the tenant's
 * other settings and shown by `GET /v1/tenant`, but not passed on by the authorizer (its
 * context carries only what every request needs): housing reads them with the tenant.
 */
export interface HousingSettings {
  inspectionIntervalDays: InspectionIntervals;
  /** A letter is flagged as expiring this many days before its `validUntil`. */
  letterExpiryWarningDays: number;
  /** Letter kinds a township adds to the built-in ones (lower-case words and dashes). */
  extraLetterKinds: readonly string[];
}

/** Every setting of a township: what the tenant item holds and `GET /v1/tenant` shows. */
export type TownshipSettings = TenantSettings & HousingSettings;

export const defaultHousingSettings: HousingSettings = {
  inspectionIntervalDays: { A: 30, B: 90, C: 180 },
  letterExpiryWarningDays: 30,
  extraLetterKinds: [],
};

export const defaultSettings: TenantSettings = {
  staleAfterDays: 120,
  verificationCycleDays: 90,
  timeZone: 'Asia/Shanghai',
  maxKeyAgeDays: null,
};

/** What a new township starts with, and what a stored tenant lacking a setting reads as. */
export const defaultTownshipSettings: TownshipSettings = { ...defaultSettings, ...defaultHousingSettings };
