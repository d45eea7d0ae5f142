import type { Principal } from '../../platform/access/principal.js';
import { todayIn } from '../../platform/dates.js';
import { InvalidInput, NotFound } from '../../platform/errors.js';
import type { TenantContext } from '../../platform/table/tenant-context.js';
import { gridRepository } from '../grids/repository.js';
import { apiKeyRepository } from './api-keys.js';
import { tenantRepository } from './repository.js';
import type { Tenant, TenantSettings } from './rules.js';

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

export async function changeSettings(t: TenantContext, changes: Partial<TenantSettings>): Promise<Tenant> {
  const tenant = await tenantRepository(t).updateSettings(changes);
  if (!tenant) throw new NotFound('tenant');
  return tenant;
}

/** Issue a key; every grid it names must exist in the township (400 naming each that does not). */
export async function issueApiKey(
  principal: Principal,
  input: { name: string; role: Principal['role']; gridIds?: string[] | undefined },
) {
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
  return apiKeyRepository(principal).create({ name: input.name, role: input.role, gridIds });
}

export async function revokeApiKey(principal: Principal, keyId: string): Promise<void> {
  if (!(await apiKeyRepository(principal).revoke(keyId))) throw new NotFound('API key');
}
