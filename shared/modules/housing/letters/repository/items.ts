import type { Actor } from '../../../../platform/access/principal.js';
import { mintId } from '../../../../platform/ids.js';
import type { TenantContext } from '../../../../platform/table/tenant-context.js';
import { housingIndexKeys, housingKeys, letterShardOf } from '../../keys.js';
import { type Letter, type LetterTransition, letterEventIdPrefix, letterFields } from '../rules/letter.js';

/**
 * How a letter and its events are stored: THE place that shapes these items (and the house
 * events the letters module writes). Other engineers' counters read exactly these attributes.
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

export type HouseEventAction = 'security-letter-renewed' | 'security-letter-lapsed';

/**
 * A house event written by the letters module (the house's security letter lapsed, or was
 * renewed). Built here with exactly the attributes of a house event — pk = the house's
 * partition, sk = EVENT#<at>#<eventId>, entity 'house-event', houseId, gridId, at, action,
 * actor, changedFields, version — because shared/modules/housing/repository/items.ts (the
 * houses engineer's `houseEventItem`) did not exist yet when this was written.
 */
export function houseEventItem(
  t: TenantContext,
  event: {
    houseId: string;
    gridId: string;
    at: string;
    action: HouseEventAction;
    actor: Actor;
    changedFields: string[];
    version: number;
  },
): Record<string, unknown> {
  return {
    ...housingKeys.event(housingKeys.housePartition(t, event.houseId), event.at, mintId(letterEventIdPrefix)),
    entity: 'house-event',
    houseId: event.houseId,
    gridId: event.gridId,
    at: event.at,
    action: event.action,
    actor: event.actor,
    changedFields: event.changedFields,
    version: event.version,
  };
}

/** What the letters module reads of a house (one GetItem, these attributes only). */
export interface HouseFacts {
  houseId: string;
  gridId: string;
  status: string;
  version: number;
  securityLetterLapsedOn: string | null;
}

export const houseFactAttributes = [
  'houseId',
  'gridId',
  'status',
  'version',
  'securityLetterLapsedOn',
] as const;

export function houseFactsFromItem(item: Record<string, unknown>): HouseFacts {
  return {
    houseId: item.houseId as string,
    gridId: item.gridId as string,
    status: item.status as string,
    version: Number(item.version ?? 0),
    securityLetterLapsedOn: (item.securityLetterLapsedOn as string | null | undefined) ?? null,
  };
}
