import { parseIdNumber } from '../domain/id-number.js';
import type { Person, Status } from '../domain/person.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { inScope, type Principal } from '../http/principal.js';
import { problems } from '../http/problem.js';
import { deploymentKeys } from '../secrets.js';
import { gridRepository } from '../table/grids.js';
import { personRepository } from '../table/people.js';
import { tenantOf } from './service.js';

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
  if (principal.role !== 'admin' && principal.role !== 'office') {
    throw problems.forbidden('Only admin and office keys may look people up by ID number.');
  }
  if (query.gridId || query.status)
    throw problems.field('idNumber', 'cannot be combined with gridId or status');
  const keys = await deploymentKeys();
  const tenant = await tenantOf(principal);
  const id = parseIdNumber(query.idNumber, tenant.today);
  if (!id.ok) throw problems.field('idNumber', id.message);
  const idHash = keys.idNumberHash(principal.tenantId, id.value.idNumber);
  const q = `idNumber:${idHash}`;
  const after = query.cursor ? decodeCursor<string>(keys, principal.tenantId, q, query.cursor) : undefined;
  const page = await personRepository(principal).pageOfIdNumber(idHash, query.limit, after);
  return {
    people: page.people.filter((p) => inScope(principal, p.gridId)),
    nextCursor: page.more && page.lastSk ? encodeCursor(keys, principal.tenantId, q, page.lastSk) : null,
  };
}

/**
 * People of one grid, or of every grid in the key's scope one grid after another (gridId
 * order), each grid in registration order; optionally of one status.
 */
export async function listByGrid(
  principal: Principal,
  query: { gridId?: string; status?: Status; limit: number; cursor?: string },
): Promise<PeoplePage> {
  const keys = await deploymentKeys();
  let gridIds: string[];
  if (query.gridId) {
    if (!(await gridRepository(principal).get(query.gridId))) throw problems.notFound('grid');
    if (!inScope(principal, query.gridId)) throw problems.forbidden('This key is limited to other grids.');
    gridIds = [query.gridId];
  } else {
    gridIds = (await gridRepository(principal).list())
      .map((g) => g.gridId)
      .filter((g) => inScope(principal, g));
  }
  const q = `grid:${query.gridId ?? '*'}:${query.status ?? '*'}`;
  type Position = { g: string; k: string | undefined };
  let position: Position | undefined = query.cursor
    ? decodeCursor<Position>(keys, principal.tenantId, q, query.cursor)
    : undefined;
  let gi = position ? gridIds.indexOf(position.g) : 0;
  if (gi < 0) gi = gridIds.findIndex((g) => g > (position?.g ?? ''));
  const people: Person[] = [];
  let nextPosition: Position | undefined;
  while (gi >= 0 && gi < gridIds.length && people.length < query.limit) {
    const gridId = gridIds[gi] as string;
    const afterSk = position && position.g === gridId ? position.k : undefined;
    const page = await personRepository(principal).pageOfGrid(
      gridId,
      query.status,
      query.limit - people.length,
      afterSk,
    );
    people.push(...page.people);
    position = { g: gridId, k: page.lastSk };
    if (page.more) {
      nextPosition = position;
      if (people.length >= query.limit) break;
      continue;
    }
    gi++;
    nextPosition = gi < gridIds.length ? { g: gridIds[gi] as string, k: undefined } : undefined;
  }
  return {
    people,
    nextCursor: nextPosition ? encodeCursor(keys, principal.tenantId, q, nextPosition) : null,
  };
}
