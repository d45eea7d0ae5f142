import { type ItemKey, type TenantContext, tenantPk } from '../../platform/table/tenant-context.js';
import { gridIndexPk } from '../grids/keys.js';

/**
 * The housing module's key strings (docs/housing.md, "Keys"): here and nowhere else. A house,
 * a landlord and a letter each have a partition shared with their history; the plaque and the
 * landlord's identity have guard items keyed by a hash, never by the raw value.
 */
const housePk = (t: TenantContext, houseId: string) => `${tenantPk(t)}#HOUSE#${houseId}`;
const landlordPk = (t: TenantContext, landlordId: string) => `${tenantPk(t)}#LANDLORD#${landlordId}`;
const letterPk = (t: TenantContext, letterId: string) => `${tenantPk(t)}#LETTER#${letterId}`;

/** Due-index shards of the letters job (as the people due index). */
export const letterShardCount = 4;

export function letterShardOf(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return h % letterShardCount;
}

export const housingKeys = {
  house: (t: TenantContext, houseId: string): ItemKey => ({ pk: housePk(t, houseId), sk: 'HOUSE' }),
  housePartition: (t: TenantContext, houseId: string): string => housePk(t, houseId),
  landlord: (t: TenantContext, landlordId: string): ItemKey => ({
    pk: landlordPk(t, landlordId),
    sk: 'LANDLORD',
  }),
  landlordPartition: (t: TenantContext, landlordId: string): string => landlordPk(t, landlordId),
  letter: (t: TenantContext, letterId: string): ItemKey => ({ pk: letterPk(t, letterId), sk: 'LETTER' }),
  letterPartition: (t: TenantContext, letterId: string): string => letterPk(t, letterId),
  /** A history event of any housing record, beside it in its partition. */
  event: (partition: string, at: string, eventId: string): ItemKey => ({
    pk: partition,
    sk: `EVENT#${at}#${eventId}`,
  }),
  eventPrefix: 'EVENT#',
  /**
   * Who saw a landlord's or a house's raw identifiers (the people module's access log, of these
   * subjects): an entry beside its landlord or house, in its partition, newest last in key order.
   */
  accessEntry: (partition: string, at: string, entryId: string): ItemKey => ({
    pk: partition,
    sk: `ACCESS#${at}#${entryId}`,
  }),
  accessPrefix: 'ACCESS#',
  /** One house per plaque number in a township (`plaqueHash`: a hash of the normalised plaque). */
  plaqueGuard: (t: TenantContext, plaqueHash: string): ItemKey => ({
    pk: `${tenantPk(t)}#PLAQUE#${plaqueHash}`,
    sk: 'PLAQUE',
  }),
  /** One landlord per ID number / credit code in a township (a keyed hash, never the raw value). */
  landlordGuard: (t: TenantContext, identityHash: string): ItemKey => ({
    pk: `${tenantPk(t)}#LANDLORDID#${identityHash}`,
    sk: 'LANDLORDID',
  }),
};

/** Index partitions (generic indexes of shared/platform/table/definition.ts). */
export const housingIndexKeys = {
  /** byGrid: a grid's records (reconciliation reads them); houses and letters sort before people. */
  grid: (t: TenantContext, gridId: string): string => gridIndexPk(t, gridId),
  houseGridSk: (houseId: string): string => `HOUSE#${houseId}`,
  /** Every house's sort key (byGrid, byTenant, byParent) begins with this. */
  housePrefix: 'HOUSE#',
  /** A counted house event (registered, banned, closed) in its grid (reconciliation reads it). */
  houseEventGridSk: (eventId: string): string => `HOUSE-EVENT#${eventId}`,
  letterGridSk: (letterId: string): string => `LETTER#${letterId}`,
  /** byGridStatus: a grid's houses of one status (its own namespace: never mixed with people). */
  gridHouseStatus: (t: TenantContext, gridId: string, status: string): string =>
    `${gridIndexPk(t, gridId)}#HOUSES#${status}`,
  /** byTenant: tenant-wide lists. */
  houses: (t: TenantContext): string => `${tenantPk(t)}#HOUSES`,
  landlords: (t: TenantContext): string => `${tenantPk(t)}#LANDLORDS`,
  letters: (t: TenantContext): string => `${tenantPk(t)}#LETTERS`,
  /** A landlord's sort key in the tenant-wide list (landlords are in no grid). */
  landlordListSk: (landlordId: string): string => `LANDLORD#${landlordId}`,
  landlordPrefix: 'LANDLORD#',
  /** byParent: a landlord's houses, a house's letters, a house's occupants (active people). */
  housesOfLandlord: (t: TenantContext, landlordId: string): string => `${landlordPk(t, landlordId)}#HOUSES`,
  lettersOfHouse: (t: TenantContext, houseId: string): string => `${housePk(t, houseId)}#LETTERS`,
  occupantsOfHouse: (t: TenantContext, houseId: string): string => `${housePk(t, houseId)}#OCCUPANTS`,
  /** due (sparse): valid letters not yet flagged, and flagged letters waiting to lapse. */
  lettersExpiring: (t: TenantContext, shard: number): string => `${tenantPk(t)}#LETTERS-EXPIRING#${shard}`,
  lettersLapsing: (t: TenantContext, shard: number): string => `${tenantPk(t)}#LETTERS-LAPSING#${shard}`,
  letterDueSk: (validUntil: string, letterId: string): string => `${validUntil}#${letterId}`,
  /** Everything valid until strictly before `day` sorts below this bound. */
  dueBefore: (day: string): string => `${day}#`,
  /** due (sparse): houses whose security responsibility letter lapsed (one partition per tenant). */
  housesLapsed: (t: TenantContext): string => `${tenantPk(t)}#HOUSES-LAPSED`,
  houseLapsedSk: (lapsedOn: string, houseId: string): string => `${lapsedOn}#${houseId}`,
};
