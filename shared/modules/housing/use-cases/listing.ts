import type { Principal } from '../../../platform/access/principal.js';
import { inScope } from '../../../platform/access/scope.js';
import { decodeCursor, encodeCursor } from '../../../platform/cursor.js';
import { NotFound } from '../../../platform/errors.js';
import { idPattern } from '../../../platform/ids.js';
import { deploymentSecret } from '../../../platform/secrets.js';
import { gridInScope } from '../../grids/use-cases.js';
import { type HousePage, houseRepository } from '../repository.js';
import type { House, HouseStatus } from '../rules/house.js';
import { landlordOf } from './landlords.js';
import { occupancyOf } from './occupancy.js';

/** Listing houses: cursor-paged in houseId order, cursors bound to the tenant and the query. */
export interface HousesPage {
  houses: House[];
  nextCursor: string | null;
  /** Occupants already read for the page (the worklist of banned houses reads them to filter). */
  occupants?: Map<string, number>;
}

interface PageQuery {
  limit: number;
  cursor?: string;
}

/** Decode the cursor of query `q`; another tenant's grid is unknown (404) before its cursor is refused. */
async function positionOf(principal: Principal, q: string, query: PageQuery, gridId?: string) {
  const secret = await deploymentSecret();
  try {
    const afterSk = query.cursor
      ? decodeCursor<string>(secret, principal.tenantId, q, query.cursor)
      : undefined;
    return { secret, afterSk };
  } catch (error) {
    if (gridId !== undefined) await gridInScope(principal, gridId);
    throw error;
  }
}

async function pageFrom(
  principal: Principal,
  q: string,
  page: HousePage,
  secret: Awaited<ReturnType<typeof deploymentSecret>>,
): Promise<HousesPage> {
  return {
    houses: page.houses,
    nextCursor: page.more && page.lastSk ? encodeCursor(secret, principal.tenantId, q, page.lastSk) : null,
  };
}

/**
 * Houses of one grid, of one landlord, or of every grid in the key's scope; optionally of one
 * status. A page is one index Query plus one BatchGet of the houses it names.
 */
export async function listHouses(
  principal: Principal,
  query: PageQuery & { gridId?: string; status?: HouseStatus; landlordId?: string },
): Promise<HousesPage> {
  const { gridId, status, landlordId, limit } = query;
  if (gridId !== undefined && !inScope(principal, gridId)) await gridInScope(principal, gridId);
  const q = `houses:${gridId ?? '*'}:${status ?? '*'}:${landlordId ?? '*'}`;
  const { secret, afterSk } = await positionOf(principal, q, query, gridId);
  const repo = houseRepository(principal);
  const at = afterSk !== undefined ? { afterSk } : {};
  const page =
    gridId !== undefined
      ? await repo.pageOfGrid({
          gridId,
          ...(status ? { status } : {}),
          ...(landlordId ? { landlordId } : {}),
          limit,
          ...at,
        })
      : landlordId !== undefined
        ? await repo.pageOfLandlord({
            landlordId,
            ...(status ? { status } : {}),
            ...(principal.gridIds ? { gridIds: principal.gridIds } : {}),
            limit,
            ...at,
          })
        : await repo.pageOfTenant({
            ...(status ? { status } : {}),
            ...(principal.gridIds ? { gridIds: principal.gridIds } : {}),
            limit,
            ...at,
          });
  if (afterSk === undefined && page.houses.length === 0 && !page.more) {
    // an empty first page: are the grid and the landlord there at all (another tenant's: 404)?
    if (gridId !== undefined) await gridInScope(principal, gridId);
    if (landlordId !== undefined) await landlordOf(principal, landlordId);
  }
  return pageFrom(principal, q, page, secret);
}

/**
 * The banned-house worklist: banned houses in the key's scope (or one grid of it) where people
 * still live, per the counters — their occupants are to be moved or written off.
 */
export async function listBannedOccupied(
  principal: Principal,
  query: PageQuery & { gridId?: string },
): Promise<HousesPage> {
  const { gridId, limit } = query;
  if (gridId !== undefined && !inScope(principal, gridId)) await gridInScope(principal, gridId);
  const q = `banned-occupied:${gridId ?? '*'}`;
  const { secret, afterSk } = await positionOf(principal, q, query, gridId);
  const repo = houseRepository(principal);
  // The banned houses' ids and grids (one Query of up to `bannedScan` index entries), their
  // occupancy from the counters (one BatchGet), then only the occupied ones of this page are
  // read: a page is full whenever that many occupied banned houses exist — never empty with a
  // next page because most banned houses are empty.
  const scanned = await repo.bannedEntries({
    ...(gridId !== undefined ? { gridId } : principal.gridIds ? { gridIds: principal.gridIds } : {}),
    max: bannedScan,
    ...(afterSk !== undefined ? { afterSk } : {}),
  });
  const occupancy = await occupancyOf(principal, scanned.entries);
  const occupied = scanned.entries.filter((e) => (occupancy.get(e.houseId) ?? 0) > 0);
  const shown = occupied.slice(0, limit);
  const houses = (await repo.housesOf(shown.map((e) => e.houseId))).filter((h) => h.status === 'banned');
  const more = occupied.length > limit || scanned.more;
  const lastSk = occupied.length > limit ? shown.at(-1)?.sk : scanned.lastSk;
  if (gridId !== undefined && afterSk === undefined && scanned.entries.length === 0 && !scanned.more) {
    await gridInScope(principal, gridId);
  }
  return { ...(await pageFrom(principal, q, { houses, lastSk, more }, secret)), occupants: occupancy };
}

/** How many banned houses one worklist page looks through (one Query: ids and grids only). */
const bannedScan = 1000;

/**
 * The lapsed-letter worklist: houses in the key's scope (or one grid of it) whose security
 * responsibility letter lapsed with no other valid one (set by the letters job), longest first.
 */
export async function listLapsedLetters(
  principal: Principal,
  query: PageQuery & { gridId?: string },
): Promise<HousesPage> {
  const { gridId, limit } = query;
  if (gridId !== undefined && !inScope(principal, gridId)) await gridInScope(principal, gridId);
  const q = `lapsed-letters:${gridId ?? '*'}`;
  const { secret, afterSk } = await positionOf(principal, q, query, gridId);
  const gridIds = gridId !== undefined ? [gridId] : principal.gridIds;
  const page = await houseRepository(principal).pageOfLapsed({
    limit,
    ...(gridIds ? { gridIds } : {}),
    ...(afterSk !== undefined ? { afterSk } : {}),
  });
  if (gridId !== undefined && afterSk === undefined && page.houses.length === 0 && !page.more) {
    await gridInScope(principal, gridId);
  }
  return pageFrom(principal, q, page, secret);
}

/** One landlord's houses in the key's grids (an unknown landlord is 404). */
export async function listLandlordHouses(
  principal: Principal,
  landlordId: string | undefined,
  query: PageQuery & { status?: HouseStatus },
): Promise<HousesPage> {
  if (!landlordId || !idPattern.test(landlordId)) throw new NotFound('landlord');
  const q = `landlord-houses:${landlordId}:${query.status ?? '*'}`;
  const { secret, afterSk } = await positionOf(principal, q, query);
  const page = await houseRepository(principal).pageOfLandlord({
    landlordId,
    ...(query.status ? { status: query.status } : {}),
    ...(principal.gridIds ? { gridIds: principal.gridIds } : {}),
    limit: query.limit,
    ...(afterSk !== undefined ? { afterSk } : {}),
  });
  // an empty first page: is there such a landlord at all?
  if (afterSk === undefined && page.houses.length === 0 && !page.more)
    await landlordOf(principal, landlordId);
  return pageFrom(principal, q, page, secret);
}
