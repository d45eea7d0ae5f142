import type { Actor } from '../../../platform/access/principal.js';
import { mintId } from '../../../platform/ids.js';
import type { TenantContext } from '../../../platform/table/tenant-context.js';
import { countedHouseEvents } from '../counters.js';
import { housingIndexKeys as indexKeys, housingKeys as keys } from '../keys.js';
import {
  type House,
  type HouseAction,
  houseFields,
  housingEventIdPrefix,
  plaqueHash,
} from '../rules/house.js';
import type { Landlord, LandlordTransition } from '../rules/landlord.js';

/**
 * How houses, landlords, their guards and their history events are stored: THE place that
 * shapes these items (the letters job writes a house and its `security-letter-lapsed` event
 * with `houseItem` and `houseEventItem` too). Index attributes carry ids, statuses, dates and
 * hashes only — never a name, an ID number, a credit code or a phone.
 */

export function houseFromItem(item: Record<string, unknown>): House {
  const h = {} as Record<string, unknown>;
  for (const f of houseFields) h[f] = item[f] ?? null;
  return h as unknown as House;
}

/** A house item with its index attributes (byGrid, byGridStatus, byTenant, byParent, due). */
export function houseItem(t: TenantContext, h: House): Record<string, unknown> {
  const houseSk = indexKeys.houseGridSk(h.houseId);
  return {
    ...keys.house(t, h.houseId),
    ...h,
    entity: 'house',
    tenantId: t.tenantId,
    plaqueHash: plaqueHash(h.plaque),
    gridPk: indexKeys.grid(t, h.gridId),
    gridSk: houseSk,
    gridStatusPk: indexKeys.gridHouseStatus(t, h.gridId, h.status),
    tenantListPk: indexKeys.houses(t),
    ...(h.landlordId !== null
      ? { parentPk: indexKeys.housesOfLandlord(t, h.landlordId), parentSk: houseSk }
      : {}),
    ...(h.securityLetterLapsedOn !== null
      ? {
          duePk: indexKeys.housesLapsed(t),
          dueSk: indexKeys.houseLapsedSk(h.securityLetterLapsedOn, h.houseId),
        }
      : {}),
  };
}

/** One house per plaque in a township. */
export function plaqueGuardItem(
  t: TenantContext,
  h: Pick<House, 'houseId' | 'plaque'>,
): Record<string, unknown> {
  return {
    ...keys.plaqueGuard(t, plaqueHash(h.plaque)),
    entity: 'plaque-guard',
    tenantId: t.tenantId,
    houseId: h.houseId,
  };
}

/**
 * A house's history event, beside it in its partition: the house's grid, version and time, the
 * action, who did it and which fields changed (names only). The events that count in a month
 * (registered, banned, closed) are also in their grid's byGrid partition, for reconciliation.
 */
export function houseEventItem(
  t: TenantContext,
  event: {
    house: House;
    action: HouseAction;
    actor: Actor;
    changedFields: readonly string[];
    /** Action-specific attributes: `registeredOn`, `bannedOn`, `closedOn`, `inspectedOn`, … */
    extra?: Record<string, unknown>;
  },
): Record<string, unknown> {
  const { house: h, action, actor, changedFields, extra = {} } = event;
  const at = h.updatedAt;
  const eventId = mintId(housingEventIdPrefix);
  return {
    ...keys.event(keys.housePartition(t, h.houseId), at, eventId),
    ...(Object.hasOwn(countedHouseEvents, action)
      ? { gridPk: indexKeys.grid(t, h.gridId), gridSk: indexKeys.houseEventGridSk(eventId) }
      : {}),
    entity: 'house-event',
    tenantId: t.tenantId,
    houseId: h.houseId,
    gridId: h.gridId,
    at,
    action,
    actor,
    changedFields: [...changedFields],
    version: h.version,
    ...extra,
  };
}

/** The day attributes a house event of each action carries (what the monthly counters read). */
export function houseEventDays(h: House, action: HouseAction): Record<string, unknown> {
  switch (action) {
    case 'created-as-registered':
    case 'registered':
    case 'reopened':
      return { registeredOn: h.registeredOn };
    case 'banned':
      return { bannedOn: h.bannedOn };
    case 'closed':
      return { closedOn: h.closedOn };
    case 'created-as-discovered':
      return { discoveredOn: h.discoveredOn };
    default:
      return {};
  }
}

const landlordFields = [
  'landlordId',
  'kind',
  'name',
  'idNumber',
  'creditCode',
  'legalRepresentative',
  'phone',
  'address',
  'workplace',
  'version',
  'createdAt',
  'updatedAt',
] as const;

export function landlordFromItem(item: Record<string, unknown>): Landlord {
  const l: Record<string, unknown> = {};
  for (const f of landlordFields) if (item[f] !== undefined) l[f] = item[f];
  if (l.kind === 'individual') l.workplace ??= null;
  return l as unknown as Landlord;
}

export function landlordItem(t: TenantContext, l: Landlord, identityHash: string): Record<string, unknown> {
  return {
    ...keys.landlord(t, l.landlordId),
    ...l,
    entity: 'landlord',
    tenantId: t.tenantId,
    identityHash,
    tenantListPk: indexKeys.landlords(t),
    gridSk: indexKeys.landlordListSk(l.landlordId),
  };
}

/** One landlord per ID number / credit code in a township (a keyed hash, never the raw value). */
export function landlordGuardItem(
  t: TenantContext,
  guard: { identityHash: string; landlordId: string },
): Record<string, unknown> {
  return {
    ...keys.landlordGuard(t, guard.identityHash),
    entity: 'landlord-guard',
    tenantId: t.tenantId,
    landlordId: guard.landlordId,
  };
}

export function landlordEventItem(
  t: TenantContext,
  event: { transition: LandlordTransition; actor: Actor },
): Record<string, unknown> {
  const { transition: tr, actor } = event;
  const at = tr.landlord.updatedAt;
  return {
    ...keys.event(keys.landlordPartition(t, tr.landlord.landlordId), at, mintId(housingEventIdPrefix)),
    entity: 'landlord-event',
    tenantId: t.tenantId,
    landlordId: tr.landlord.landlordId,
    at,
    action: tr.action,
    actor,
    changedFields: tr.changedFields,
    version: tr.landlord.version,
  };
}
