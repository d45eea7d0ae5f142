import type { Role } from '../../platform/access/roles.js';
import type { TownshipSettings } from '../../platform/settings.js';

/** A tenant item's settings default: every setting, the housing module's included. */
export {
  defaultTownshipSettings as defaultSettings,
  type TenantSettings,
  type TownshipSettings,
} from '../../platform/settings.js';

export interface Tenant {
  tenantId: string;
  townshipName: string;
  /** Every setting, the housing module's included (the authorizer passes on only `TenantSettings`). */
  settings: TownshipSettings;
}

export interface ApiKeyRecord {
  keyId: string;
  name: string;
  role: Role;
  gridIds: string[] | null;
  createdAt: string;
  revokedAt: string | null;
  /** After this instant the key is refused (401, "expired"); null: it does not expire. */
  expiresAt: string | null;
  /** The key this one replaced by rotation, if any. */
  rotatedFrom: string | null;
}

/** Id prefixes this module mints. */
export const tenantIdPrefix = 't';
export const apiKeyIdPrefix = 'k';

/** Why a stored key is refused now (undefined: it is valid). */
export type KeyRefusal = 'revoked' | 'expired';

export function keyRefusal(
  key: { revokedAt?: string | null; expiresAt?: string | null },
  now: Date,
): KeyRefusal | undefined {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && Date.parse(key.expiresAt) <= now.getTime()) return 'expired';
  return undefined;
}

export class KeyLifecycleError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * When a new key expires: as asked, or by the tenant's maximum key age. Asking for a later
 * expiry than the maximum allows, or for none when a maximum is set, is an error.
 */
export function expiryOf(
  asked: string | undefined,
  context: { now: Date; maxKeyAgeDays: number | null },
): string | null {
  const { now, maxKeyAgeDays } = context;
  const latest = maxKeyAgeDays === null ? undefined : now.getTime() + maxKeyAgeDays * 86_400_000;
  if (asked === undefined) return latest === undefined ? null : new Date(latest).toISOString();
  const at = Date.parse(asked);
  if (at <= now.getTime()) throw new KeyLifecycleError('expiresAt', 'must be in the future');
  if (latest !== undefined && at > latest)
    throw new KeyLifecycleError(
      'expiresAt',
      `must be within the township's maximum key age (${maxKeyAgeDays} days)`,
    );
  return new Date(at).toISOString();
}

/** A rotated key stays valid for the overlap, never longer than it already would have. */
export function overlapExpiry(current: string | null, now: Date, overlapMinutes: number): string {
  const end = now.getTime() + overlapMinutes * 60_000;
  return new Date(current === null ? end : Math.min(end, Date.parse(current))).toISOString();
}

/** The day a key was last used is written at most once a day (UTC day). */
export const usedOnDay = (now: Date): string => now.toISOString().slice(0, 10);
