import type { Actor } from '../../../../platform/access/principal.js';
import { mintId } from '../../../../platform/ids.js';
import type { TenantContext } from '../../../../platform/table/tenant-context.js';
import { housingIndexKeys, housingKeys, letterShardOf } from '../../keys.js';
import { houseEventItem, houseFromItem } from '../../repository/items.js';
import type { House } from '../../rules/house.js';
import { type Letter, type LetterTransition, letterEventIdPrefix, letterFields } from '../rules/letter.js';

/**
 * How a letter and its events are stored: THE place that shapes these items. Other engineers'
 * counters read exactly these attributes. (House events are shaped by the houses' items.ts.)
 */

/** Attributes of the stored letter that hold its fields. */
export function letterFromItem(item: Record<string, unknown>): Letter {
  const l = {} as Record<string, unknown>;
  for (const f of letterFields) l[f] = item[f] ?? null;
  return l as unknown as Letter;
}

/**
 * Index attributes of a letter: byGrid (reconciliation), byTenant (the tenant's list), byParent
 * (its house's letters) and — only while valid — the sparse due attributes: in the expiring
 * partitions until the job flags it, in the lapsing partitions after.
 */
export function letterIndexAttributes(t: TenantContext, l: Letter): Record<string, string> {
  const sk = housingIndexKeys.letterGridSk(l.letterId);
  const attrs: Record<string, string> = {
    gridPk: housingIndexKeys.grid(t, l.gridId),
    gridSk: sk,
    tenantListPk: housingIndexKeys.letters(t),
    parentPk: housingIndexKeys.lettersOfHouse(t, l.houseId),
    parentSk: sk,
  };
  if (l.status === 'valid') {
    const shard = letterShardOf(l.letterId);
    attrs.duePk =
      l.expiringFlaggedOn === null
        ? housingIndexKeys.lettersExpiring(t, shard)
        : housingIndexKeys.lettersLapsing(t, shard);
    attrs.dueSk = housingIndexKeys.letterDueSk(l.validUntil, l.letterId);
  }
  return attrs;
}

export function letterItem(t: TenantContext, l: Letter): Record<string, unknown> {
  return {
    ...housingKeys.letter(t, l.letterId),
    ...l,
    party: { ...l.party },
    entity: 'letter',
    tenantId: t.tenantId,
    ...letterIndexAttributes(t, l),
  };
}

export function letterEventItem(
  t: TenantContext,
  change: { transition: LetterTransition; actor: Actor },
): Record<string, unknown> {
  const { transition: tr, actor } = change;
  const at = tr.letter.updatedAt;
  return {
    ...housingKeys.event(housingKeys.letterPartition(t, tr.letter.letterId), at, mintId(letterEventIdPrefix)),
    entity: 'letter-event',
    tenantId: t.tenantId,
    letterId: tr.letter.letterId,
    houseId: tr.letter.houseId,
    gridId: tr.letter.gridId,
    at,
    action: tr.action,
    actor,
    changedFields: tr.changedFields,
    version: tr.letter.version,
  };
}

/**
 * What the letters module reads of a house (one GetItem): the facts its checks use, and the
 * whole house, from which the house events it writes are built (`houseEventItem` of
 * shared/modules/housing/repository/items.ts, the one place shaping house events).
 */
export interface HouseFacts {
  houseId: string;
  gridId: string;
  status: string;
  version: number;
  securityLetterLapsedOn: string | null;
  house: House;
}

export function houseFactsFromItem(item: Record<string, unknown>): HouseFacts {
  const house = houseFromItem(item);
  return {
    houseId: house.houseId,
    gridId: house.gridId,
    status: house.status,
    version: Number(house.version ?? 0),
    securityLetterLapsedOn: house.securityLetterLapsedOn ?? null,
    house,
  };
}

/**
 * The house event of a mark the letters write (`security-letter-lapsed` / `-renewed`): the
 * house as it is after the mark (version + 1, updated now), built by the houses' own
 * `houseEventItem`.
 */
export function houseMarkEventItem(
  t: TenantContext,
  mark: {
    facts: HouseFacts;
    action: 'security-letter-lapsed' | 'security-letter-renewed';
    lapsedOn: string | null;
    actor: Actor;
    at: string;
  },
): Record<string, unknown> {
  const { facts, action, lapsedOn, actor, at } = mark;
  return houseEventItem(t, {
    house: { ...facts.house, securityLetterLapsedOn: lapsedOn, version: facts.version + 1, updatedAt: at },
    action,
    actor,
    changedFields: ['securityLetterLapsedOn'],
  });
}
