import { defaultHousingSettings, type HousingSettings } from '../../../platform/settings.js';
import type { TenantContext } from '../../../platform/table/tenant-context.js';
import { tenantRepository } from '../../tenants/repository.js';

/**
 * The township's housing settings (docs/housing.md, "Tenant settings"). The authorizer passes on
 * only the settings every request needs, so housing reads its own with the tenant — once per
 * function instance and tenant every 30 s, the authorizer cache's TTL: a change reaches house
 * views as soon as a change of any other setting reaches requests (the contract allows 60 s).
 */
const ttlMs = 30_000;
const cache = new Map<string, { at: number; settings: Promise<HousingSettings> }>();

export function housingSettings(t: TenantContext, now = Date.now()): Promise<HousingSettings> {
  const cached = cache.get(t.tenantId);
  if (cached && now - cached.at < ttlMs) return cached.settings;
  const settings = tenantRepository(t)
    .get()
    .then((tenant) => {
      const s = tenant?.settings;
      return {
        inspectionIntervalDays: s?.inspectionIntervalDays ?? defaultHousingSettings.inspectionIntervalDays,
        letterExpiryWarningDays: s?.letterExpiryWarningDays ?? defaultHousingSettings.letterExpiryWarningDays,
        extraLetterKinds: s?.extraLetterKinds ?? defaultHousingSettings.extraLetterKinds,
      };
    });
  // a failed read is not kept: the next request tries again
  settings.catch(() => {
    if (cache.get(t.tenantId)?.settings === settings) cache.delete(t.tenantId);
  });
  cache.set(t.tenantId, { at: now, settings });
  return settings;
}

/** Forget what was read (tests that change settings; never needed in a function). */
export const forgetHousingSettings = (): void => cache.clear();
