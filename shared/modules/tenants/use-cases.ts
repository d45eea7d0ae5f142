import type { Principal } from '../../platform/access/principal.js';
import { todayIn } from '../../platform/dates.js';
import { Conflict, InvalidInput, NotFound } from '../../platform/errors.js';
import type { TenantContext } from '../../platform/table/tenant-context.js';
import { gridRepository } from '../grids/repository.js';
import { apiKeyRepository } from './api-keys.js';
import { tenantRepository } from './repository.js';
import {
  expiryOf,
  KeyLifecycleError,
  keyRefusal,
  overlapExpiry,
  type Tenant,
  type TenantSettings,
  type TownshipSettings,
} from './rules.js';

export interface Workspace {
  settings: TenantSettings;
  /** The tenant's today, in its time zone. */
  today: string;
}

/**
 * The caller's township settings and its today: what most use cases start from. Read from the
 * principal (the authorizer passes the tenant's settings on), so it costs no request.
 */
export function workspaceOf(principal: Principal): Workspace {
  return { settings: principal.settings, today: todayIn(principal.settings.timeZone) };
}

export async function readTenant(t: TenantContext): Promise<Tenant> {
  const tenant = await tenantRepository(t).get();
  if (!tenant) throw new NotFound('tenant');
  return tenant;
}

export async function changeSettings(t: TenantContext, changes: Partial<TownshipSettings>): Promise<Tenant> {
  const tenant = await tenantRepository(t).updateSettings(changes);
  if (!tenant) throw new NotFound('tenant');
  return tenant;
}

/** The key lifecycle's own errors, as the client's invalid fields. */
function lifecycle<T>(decide: () => T): T {
  try {
    return decide();
  } catch (error) {
    if (error instanceof KeyLifecycleError) throw InvalidInput.field(error.field, error.message);
    throw error;
  }
}

/**
 * Issue a key; every grid it names must exist in the township (400 naming each that does not);
 * it expires when asked, or by the township's maximum key age at the latest.
 */
export async function issueApiKey(
  principal: Principal,
  input: {
    name: string;
    role: Principal['role'];
    gridIds?: string[] | undefined;
    expiresAt?: string | undefined;
  },
) {
  const expiresAt = lifecycle(() =>
    expiryOf(input.expiresAt, { now: new Date(), maxKeyAgeDays: principal.settings.maxKeyAgeDays }),
  );
  const gridIds = input.gridIds ? [...new Set(input.gridIds)] : null;
  if (gridIds) {
    const found = await gridRepository(principal).existing(gridIds);
    const unknown = gridIds.map((g, i) => ({ g, i })).filter(({ g }) => !found.has(g));
    if (unknown.length > 0) {
      throw new InvalidInput(
        unknown.map(({ g, i }) => ({ path: `gridIds.${i}`, message: `no grid ${g} in this township` })),
      );
    }
  }
  return apiKeyRepository(principal).create({ name: input.name, role: input.role, gridIds, expiresAt });
}

/**
 * Rotate a key: a new key for the same holder; the old one stays valid for the overlap the
 * admin picks (default 60 minutes, never longer than it already would), then is refused.
 */
export async function rotateApiKey(
  principal: Principal,
  keyId: string,
  input: { overlapMinutes: number; expiresAt?: string | undefined },
) {
  const repo = apiKeyRepository(principal);
  const old = await repo.get(keyId);
  if (!old) throw new NotFound('API key');
  const now = new Date();
  const refusal = keyRefusal(old, now);
  if (refusal) throw new Conflict(`This API key is ${refusal}: issue a new one instead.`);
  const newExpiresAt = lifecycle(() =>
    expiryOf(input.expiresAt, { now, maxKeyAgeDays: principal.settings.maxKeyAgeDays }),
  );
  return repo.rotate(old, {
    oldExpiresAt: overlapExpiry(old.expiresAt, now, input.overlapMinutes),
    newExpiresAt,
  });
}

export async function revokeApiKey(principal: Principal, keyId: string): Promise<void> {
  if (!(await apiKeyRepository(principal).revoke(keyId))) throw new NotFound('API key');
}
