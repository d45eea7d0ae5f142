import { type ItemKey, type TenantContext, tenantPk } from '../../platform/table/tenant-context.js';
import { gridIndexPk } from '../grids/keys.js';
import { housingIndexKeys } from '../housing/keys.js';

/**
 * The people module's key strings: a person and their history share a partition; the ID-number
 * guard keeps one active registration per ID number. ID numbers appear only as a keyed hash
 * (see shared/platform/secrets.ts), never raw.
 */
const personPk = (t: TenantContext, personId: string) => `${tenantPk(t)}#PERSON#${personId}`;
const idNumberPk = (t: TenantContext, idHash: string) => `${tenantPk(t)}#IDNO#${idHash}`;
const duePk = (t: TenantContext, shard: number) => `${tenantPk(t)}#DUE#${shard}`;
const peopleListPk = (t: TenantContext) => `${tenantPk(t)}#PEOPLE`;

/** Due-index shards: spread a tenant's active registrations over a few partitions. */
export const dueShardCount = 4;

function shardOf(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return h % dueShardCount;
}

export const peopleKeys = {
  /** Per-tenant sequence for card numbers. */
  cardSequence: (t: TenantContext): ItemKey => ({ pk: tenantPk(t), sk: 'SEQUENCE#card' }),
  person: (t: TenantContext, personId: string): ItemKey => ({ pk: personPk(t, personId), sk: 'PERSON' }),
  personPartition: (t: TenantContext, personId: string): string => personPk(t, personId),
  historyEvent: (t: TenantContext, personId: string, at: string, eventId: string): ItemKey => ({
    pk: personPk(t, personId),
    sk: `EVENT#${at}#${eventId}`,
  }),
  historyPrefix: 'EVENT#',
  idNumberGuard: (t: TenantContext, idHash: string): ItemKey => ({ pk: idNumberPk(t, idHash), sk: 'IDNO' }),
  /** Who saw this person's raw identifiers: beside the person, newest last in key order. */
  accessEntry: (t: TenantContext, personId: string, at: string, entryId: string): ItemKey => ({
    pk: personPk(t, personId),
    sk: `ACCESS#${at}#${entryId}`,
  }),
  accessPrefix: 'ACCESS#',
};

/** An access entry is also listed per API key (the tenant-wide generic index). */
export const accessIndexKeys = (t: TenantContext, keyId: string, at: string, entryId: string) => ({
  tenantListPk: `${tenantPk(t)}#ACCESS#${keyId}`,
  gridSk: `ACCESS#${at}#${entryId}`,
});

/** A person's sort key in every index that lists people (`PERSON#<personId>`). */
const personSk = (personId: string) => `PERSON#${personId}`;

/**
 * Index attributes of a person item (generic indexes). Only hashes, ids, statuses and dates. An
 * active person living in a house is one of the house's occupants (`byParent`); leaving the
 * house or the active state drops the attributes, and with them the entry.
 */
export const personIndexKeys = (
  t: TenantContext,
  p: {
    personId: string;
    gridId: string;
    status: string;
    idHash: string;
    lastSeenOn: string;
    houseId: string | null;
  },
): Record<string, string> => {
  const attrs: Record<string, string> = {
    gridPk: gridIndexPk(t, p.gridId),
    gridStatusPk: `${gridIndexPk(t, p.gridId)}#STATUS#${p.status}`,
    gridSk: personSk(p.personId),
    idNumberPk: idNumberPk(t, p.idHash),
    tenantListPk: peopleListPk(t),
  };
  if (p.status === 'active') {
    attrs.duePk = duePk(t, shardOf(p.personId));
    attrs.dueSk = `${p.lastSeenOn}#${p.personId}`;
    if (p.houseId !== null) {
      attrs.parentPk = housingIndexKeys.occupantsOfHouse(t, p.houseId);
      attrs.parentSk = personSk(p.personId);
    }
  }
  return attrs;
};

/** A verification event is indexed under the grid it was recorded in (for reconciliation). */
export const verificationIndexKeys = (
  t: TenantContext,
  gridId: string,
  eventId: string,
): Record<string, string> => ({ gridPk: gridIndexPk(t, gridId), gridSk: `EVENT#${eventId}` });

export const peopleIndexKeys = {
  byGrid: (t: TenantContext, gridId: string): string => gridIndexPk(t, gridId),
  byGridStatus: (t: TenantContext, gridId: string, status: string): string =>
    `${gridIndexPk(t, gridId)}#STATUS#${status}`,
  byIdNumber: (t: TenantContext, idHash: string): string => idNumberPk(t, idHash),
  /**
   * Every person's sort key begins with this, in every index that lists people. Other records
   * share some of those partitions (a grid's verification events `EVENT#…`, houses `HOUSE#…`,
   * letters `LETTER#…`): a list of people bounds its sort key to this prefix.
   */
  peoplePrefix: 'PERSON#',
  /** byParent: the current occupants of a house (active people naming it). */
  occupantsOfHouse: (t: TenantContext, houseId: string): string =>
    housingIndexKeys.occupantsOfHouse(t, houseId),
  byTenant: (t: TenantContext): string => peopleListPk(t),
  accessOfKey: (t: TenantContext, keyId: string): string => `${tenantPk(t)}#ACCESS#${keyId}`,
  due: (t: TenantContext, shard: number): string => duePk(t, shard),
  /** Everything last seen strictly before `day` sorts below this bound. */
  dueBefore: (day: string): string => `${day}#`,
};

/** The person an index sort key (`PERSON#<personId>`) names, if it names one. */
export function personIdOfSk(sk: string): string | undefined {
  return sk.startsWith(peopleIndexKeys.peoplePrefix)
    ? sk.slice(peopleIndexKeys.peoplePrefix.length)
    : undefined;
}

export function personIdOfKey(pk: string): string | undefined {
  const m = /^TENANT#[^#]+#PERSON#([^#]+)$/.exec(pk);
  return m?.[1];
}
