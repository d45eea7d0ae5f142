import type { Principal } from '../../../../platform/access/principal.js';
import { tenantRepository } from '../../../tenants/repository.js';
import { extraKindsOf, isBuiltInKind } from '../rules/letter.js';

/**
 * The township's extra letter kinds (tenant setting `extraLetterKinds`), read defensively:
 * TenantSettings may not declare the setting yet, and the authorizer's context (which hands the
 * principal its settings) may not carry it. From the principal's settings when they have it;
 * otherwise, and only when a kind is not built in, from the tenant item (one GetItem).
 */
export async function extraLetterKinds(principal: Principal, kinds: readonly string[]): Promise<string[]> {
  if (kinds.every(isBuiltInKind)) return [];
  if ((principal.settings as { extraLetterKinds?: unknown }).extraLetterKinds !== undefined)
    return extraKindsOf(principal.settings);
  const tenant = await tenantRepository(principal).get();
  return extraKindsOf(tenant?.settings);
}
