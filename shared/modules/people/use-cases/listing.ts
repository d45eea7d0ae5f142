import type { Principal } from '../../../platform/access/principal.js';
import { registryWriters } from '../../../platform/access/roles.js';
import { assertInScope, assertRole, inScope } from '../../../platform/access/scope.js';
import { decodeCursor, encodeCursor } from '../../../platform/cursor.js';
import { InvalidInput, NotFound } from '../../../platform/errors.js';
import { deploymentSecret } from '../../../platform/secrets.js';
import { gridInScope } from '../../grids/use-cases.js';
import { workspaceOf } from '../../tenants/use-cases.js';
import { personRepository } from '../repository.js';
import { parseIdNumber } from '../rules/id-number.js';
import { overdueBefore, type Person, type Status } from '../rules/person.js';

/** Listing people: cursor-paged, stable order, cursors bound to the tenant and the query. */

export interface PeoplePage {
  people: Person[];
  nextCursor: string | null;
}

/** Every registration of one ID number (admin and office only), newest first. */
export async function listByIdNumber(
  principal: Principal,
  query: { idNumber: string; gridId?: string; status?: Status; limit: number; cursor?: string },
): Promise<PeoplePage> {
  assertRole(principal, registryWriters, 'look people up by ID number');
  if (query.gridId || query.status)
    throw InvalidInput.field('idNumber', 'cannot be combined with gridId or status');
  const secret = await deploymentSecret();
  const workspace = await workspaceOf(principal);
  const id = parseIdNumber(query.idNumber, workspace.today);
  if (!id.ok) throw InvalidInput.field('idNumber', id.message);
  const idHash = secret.idNumberHash(principal.tenantId, id.value.idNumber);
  const q = `idNumber:${idHash}`;
  const after = query.cursor ? decodeCursor<string>(secret, principal.tenantId, q, query.cursor) : undefined;
  const page = await personRepository(principal).pageOfIdNumber({
    idHash,
    limit: query.limit,
    afterSk: after,
  });
  return {
    people: page.people.filter((p) => inScope(principal, p.gridId)),
    nextCursor: page.more && page.lastSk ? encodeCursor(secret, principal.tenantId, q, page.lastSk) : null,
  };
}

/**
 * People of one grid, or of every grid in the key's scope, in registration order; optionally of
 * one status. A page is one index Query plus one BatchGet of the people it names. A grid is read
 * only to tell an unknown grid (404) from an empty one or one outside the key's scope (403).
 */
export async function listPeople(
  principal: Principal,
  query: { gridId?: string; status?: Status; limit: number; cursor?: string },
): Promise<PeoplePage> {
  const secret = await deploymentSecret();
  const { gridId, status, limit } = query;
  if (gridId !== undefined && !inScope(principal, gridId)) {
    await gridInScope(principal, gridId); // 404 if it is no grid of this township, else 403
  }
  const q = `people:${gridId ?? '*'}:${status ?? '*'}`;
  let afterSk: string | undefined;
  try {
    afterSk = query.cursor ? decodeCursor<string>(secret, principal.tenantId, q, query.cursor) : undefined;
  } catch (error) {
    // Another tenant's grid is unknown here (404) before its cursor is refused (400).
    if (gridId !== undefined) await gridInScope(principal, gridId);
    throw error;
  }
  const repo = personRepository(principal);
  const page =
    gridId !== undefined
      ? await repo.pageOfGrid({ gridId, status, limit, afterSk })
      : await repo.pageOfTenant({ status, gridIds: principal.gridIds, limit, afterSk });
  if (gridId !== undefined && afterSk === undefined && page.people.length === 0 && !page.more) {
    await gridInScope(principal, gridId); // an empty first page: is the grid there at all?
  }
  return {
    people: page.people,
    nextCursor: page.more && page.lastSk ? encodeCursor(secret, principal.tenantId, q, page.lastSk) : null,
  };
}

/**
 * A house's current occupants — its active registrations — in personId order, from the sparse
 * byParent index: a page is one Query (filtered to the key's grids) plus one BatchGet of the
 * people it names. The house fixes the grid, so `gridId` and `idNumber` cannot be combined with
 * it, and `status` may only be `active`. An empty first page reads the house to tell an unknown
 * house (404) from an empty one, or one in a grid outside the key's scope (403).
 */
export async function listOccupants(
  principal: Principal,
  query: {
    houseId: string;
    gridId?: string;
    status?: Status;
    idNumber?: string;
    limit: number;
    cursor?: string;
  },
): Promise<PeoplePage> {
  const { houseId, limit } = query;
  if (query.gridId !== undefined || query.idNumber !== undefined)
    throw InvalidInput.field('query.houseId', 'cannot be combined with gridId or idNumber');
  if (query.status !== undefined && query.status !== 'active') {
    throw InvalidInput.field(
      'query.status',
      'a house’s occupants are its active registrations: with houseId, status may only be active',
    );
  }
  const secret = await deploymentSecret();
  const q = `occupants:${houseId}`;
  const afterSk = query.cursor
    ? decodeCursor<string>(secret, principal.tenantId, q, query.cursor)
    : undefined;
  const repo = personRepository(principal);
  const page = await repo.pageOfHouse({ houseId, gridIds: principal.gridIds, limit, afterSk });
  if (afterSk === undefined && page.people.length === 0 && !page.more) {
    // an empty first page: is the house there at all, and may this key see its grid?
    const house = await repo.house(houseId);
    if (!house) throw new NotFound('house');
    assertInScope(principal, house.gridId, 'see people of that grid');
  }
  return {
    people: page.people,
    nextCursor: page.more && page.lastSk ? encodeCursor(secret, principal.tenantId, q, page.lastSk) : null,
  };
}

/**
 * The verification worklist: active people in the key's scope (or one grid of it) whose last
 * verification (or arrival) is more than the tenant's verificationCycleDays ago, oldest first.
 */
export async function listDue(
  principal: Principal,
  query: { gridId?: string; limit: number; cursor?: string },
): Promise<PeoplePage> {
  const secret = await deploymentSecret();
  const { gridId, limit } = query;
  if (gridId !== undefined && !inScope(principal, gridId)) await gridInScope(principal, gridId);
  const workspace = workspaceOf(principal);
  const before = overdueBefore(workspace.today, workspace.settings.verificationCycleDays);
  const q = `due:${gridId ?? '*'}:${before}`;
  const afterSk = query.cursor
    ? decodeCursor<string>(secret, principal.tenantId, q, query.cursor)
    : undefined;
  const gridIds = gridId !== undefined ? [gridId] : principal.gridIds;
  const page = await personRepository(principal).pageOfDue({
    before,
    limit,
    ...(afterSk ? { afterSk } : {}),
    ...(gridIds ? { gridIds } : {}),
  });
  if (gridId !== undefined && afterSk === undefined && page.people.length === 0 && !page.more) {
    await gridInScope(principal, gridId); // an empty first page: is the grid there at all?
  }
  return {
    people: page.people,
    nextCursor: page.more && page.lastSk ? encodeCursor(secret, principal.tenantId, q, page.lastSk) : null,
  };
}
