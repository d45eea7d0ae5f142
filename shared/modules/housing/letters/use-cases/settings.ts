import type { Principal } from '../../../../platform/access/principal.js';
import { housingSettings } from '../../use-cases/settings.js';
import { extraKindsOf, isBuiltInKind } from '../rules/letter.js';

/**
 * The township's extra letter kinds (tenant setting `extraLetterKinds`), read defensively: the
 * authorizer's context (which hands the principal its settings) does not carry housing settings,
 * and a stored tenant may lack the setting or hold something malformed. From the principal's
 * settings when they have it; otherwise — only when a kind is not built in — with the tenant,
 * through the housing settings reader (cached per instance for the authorizer cache's TTL).
 */
export async function extraLetterKinds(principal: Principal, kinds: readonly string[]): Promise<string[]> {
  if (kinds.every(isBuiltInKind)) return [];
  if ((principal.settings as { extraLetterKinds?: unknown }).extraLetterKinds !== undefined)
    return extraKindsOf(principal.settings);
  return extraKindsOf(await housingSettings(principal));
}
