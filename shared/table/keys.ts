/**
 * THE key builders. This is the only module that knows the key strings of the single table.
 * Every tenant-owned key starts with `TENANT#<tenantId>`; the two exceptions are the API-key
 * lookup (the authorizer knows no tenant yet) and the tenant directory (sign-up, scheduled jobs).
 * ID numbers appear only as a keyed hash (see shared/secrets.ts), never raw.
 */
export interface TenantContext {
  readonly tenantId: string;
}

export type ItemKey = { pk: string; sk: string };

/** Identifiers we mint are ULIDs with a type prefix; anything else in a path is simply unknown (404). */
export const idPattern = /^[a-z]{1,2}_[0-9A-HJKMNP-TV-Z]{26}$/;

const tenantPk = (t: TenantContext) => `TENANT#${t.tenantId}`;
const personPk = (t: TenantContext, personId: string) => `${tenantPk(t)}#PERSON#${personId}`;
const gridPk = (t: TenantContext, gridId: string) => `${tenantPk(t)}#GRID#${gridId}`;

/** Due-index shards: spread a tenant's active registrations over a few partitions. */
export const dueShardCount = 4;

export const keys = {
  tenant: (t: TenantContext): ItemKey => ({ pk: tenantPk(t), sk: 'TENANT' }),
  /** Platform-level: one item per tenant so jobs can iterate tenants without a scan. */
  tenantDirectoryPk: 'TENANTS',
  tenantDirectoryEntry: (t: TenantContext): ItemKey => ({ pk: 'TENANTS', sk: `TENANT#${t.tenantId}` }),
  /** Platform-level: the authorizer finds a key by the SHA-256 of its secret. */
  apiKeyLookup: (secretHash: string): ItemKey => ({ pk: `APIKEY#${secretHash}`, sk: 'APIKEY' }),
  apiKey: (t: TenantContext, keyId: string): ItemKey => ({ pk: tenantPk(t), sk: `APIKEY#${keyId}` }),
  apiKeyPrefix: 'APIKEY#',
  tenantPartition: (t: TenantContext): string => tenantPk(t),
  grid: (t: TenantContext, gridId: string): ItemKey => ({ pk: tenantPk(t), sk: `GRID#${gridId}` }),
  gridPrefix: 'GRID#',
  /** Per-tenant sequence for card numbers. */
  cardSequence: (t: TenantContext): ItemKey => ({ pk: tenantPk(t), sk: 'SEQUENCE#card' }),
  person: (t: TenantContext, personId: string): ItemKey => ({ pk: personPk(t, personId), sk: 'PERSON' }),
  personPartition: (t: TenantContext, personId: string): string => personPk(t, personId),
  historyEvent: (t: TenantContext, personId: string, at: string, eventId: string): ItemKey => ({
    pk: personPk(t, personId),
    sk: `EVENT#${at}#${eventId}`,
  }),
  historyPrefix: 'EVENT#',
  idNumberGuard: (t: TenantContext, idHash: string): ItemKey => ({
    pk: `${tenantPk(t)}#IDNO#${idHash}`,
    sk: 'IDNO',
  }),
  gridCounters: (t: TenantContext, gridId: string): ItemKey => ({ pk: gridPk(t, gridId), sk: 'COUNTERS' }),
  /** Women of one birth year (see shared/domain/counters.ts): sorts under the `COUNTERS` prefix. */
  gridWomen: (t: TenantContext, gridId: string, year: string): ItemKey => ({
    pk: gridPk(t, gridId),
    sk: `COUNTERS#WOMEN#${year}`,
  }),
  /** Every gauge item of a grid (`COUNTERS` and `COUNTERS#WOMEN#…`) begins with this. */
  gaugesPrefix: 'COUNTERS',
  womenPrefix: 'COUNTERS#WOMEN#',
  gridMonth: (t: TenantContext, gridId: string, month: string): ItemKey => ({
    pk: gridPk(t, gridId),
    sk: `MONTH#${month}`,
  }),
  gridPartition: (t: TenantContext, gridId: string): string => gridPk(t, gridId),
  monthPrefix: 'MONTH#',
  /**
   * Dedupe marker, beside the source item in its own partition: the counters include this
   * version of that item (TTL'd after the stream's 24 h). Redeliveries of the same write find
   * it; the reconciler uses it to tell a delta still on its way from real drift.
   */
  appliedMarker: (source: ItemKey, version: number): ItemKey => {
    if (!source.pk.startsWith('TENANT#')) throw new Error('a marker belongs to a tenant item');
    return { pk: source.pk, sk: `APPLIED#${source.sk}#v${version}` };
  },
  appliedPrefix: 'APPLIED#',
  reconciliationRun: (t: TenantContext, runId: string): ItemKey => ({
    pk: tenantPk(t),
    sk: `RECONCILIATION#${runId}`,
  }),
  reconciliationPrefix: 'RECONCILIATION#',
  reconciliationCheckpoint: (t: TenantContext): ItemKey => ({
    pk: tenantPk(t),
    sk: 'RECONCILIATION-CHECKPOINT',
  }),
};

/** Index attributes of a person item (see registryIndexes). Only hashes, ids, statuses and dates. */
export const personIndexKeys = (
  t: TenantContext,
  p: { personId: string; gridId: string; status: string; idHash: string; lastSeenOn: string },
): Record<string, string> => {
  const attrs: Record<string, string> = {
    gridPk: gridPk(t, p.gridId),
    gridStatusPk: `${gridPk(t, p.gridId)}#STATUS#${p.status}`,
    gridSk: `PERSON#${p.personId}`,
    idNumberPk: `${tenantPk(t)}#IDNO#${p.idHash}`,
  };
  if (p.status === 'active') {
    attrs.duePk = duePartition(t, shardOf(p.personId));
    attrs.dueSk = `${p.lastSeenOn}#${p.personId}`;
  }
  return attrs;
};

/** A verification event is indexed under the grid it was recorded in (for reconciliation). */
export const verificationIndexKeys = (
  t: TenantContext,
  gridId: string,
  eventId: string,
): Record<string, string> => ({
  gridPk: gridPk(t, gridId),
  gridSk: `EVENT#${eventId}`,
});

export const indexKeys = {
  byGrid: (t: TenantContext, gridId: string): string => gridPk(t, gridId),
  byGridStatus: (t: TenantContext, gridId: string, status: string): string =>
    `${gridPk(t, gridId)}#STATUS#${status}`,
  byIdNumber: (t: TenantContext, idHash: string): string => `${tenantPk(t)}#IDNO#${idHash}`,
  /** Every person's gridSk sorts above this, every event's below. */
  gridPeopleStart: 'PERSON#',
  due: (t: TenantContext, shard: number): string => duePartition(t, shard),
  /** Everything last seen strictly before `day` sorts below this bound. */
  dueBefore: (day: string): string => `${day}#`,
};

const duePartition = (t: TenantContext, shard: number) => `${tenantPk(t)}#DUE#${shard}`;

function shardOf(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return h % dueShardCount;
}

/** Parse a tenant id back out of a key (stream records, reconciliation). */
export function tenantOfKey(pk: string): string | undefined {
  const m = /^TENANT#([^#]+)/.exec(pk);
  return m?.[1];
}

export function personIdOfKey(pk: string): string | undefined {
  const m = /^TENANT#[^#]+#PERSON#([^#]+)$/.exec(pk);
  return m?.[1];
}
