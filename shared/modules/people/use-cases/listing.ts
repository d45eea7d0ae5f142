import type { Principal } from '../../../platform/access/principal.js';
import { registryWriters } from '../../../platform/access/roles.js';
import { assertRole, inScope } from '../../../platform/access/scope.js';
import { decodeCursor, encodeCursor } from '../../../platform/cursor.js';
import { InvalidInput } from '../../../platform/errors.js';
import { deploymentSecret } from '../../../platform/secrets.js';
import { gridInScope, gridsInScope } from '../../grids/use-cases.js';
import { workspaceOf } from '../../tenants/use-cases.js';
import { personRepository } from '../repository.js';
import { parseIdNumber } from '../rules/id-number.js';
import type { Person, Status } from '../rules/person.js';

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
 * People of one grid, or of every grid in the key's scope one grid after another (gridId
 * order), each grid in registration order; optionally of one status.
 */
export async function listByGrid(
  principal: Principal,
  query: { gridId?: string; status?: Status; limit: number; cursor?: string },
): Promise<PeoplePage> {
  const secret = await deploymentSecret();
  const gridIds = query.gridId
    ? [(await gridInScope(principal, query.gridId)).gridId]
    : (await gridsInScope(principal)).map((g) => g.gridId);
  const q = `grid:${query.gridId ?? '*'}:${query.status ?? '*'}`;
  type Position = { g: string; k: string | undefined };
  let position: Position | undefined = query.cursor
    ? decodeCursor<Position>(secret, principal.tenantId, q, query.cursor)
    : undefined;
  let gi = position ? gridIds.indexOf(position.g) : 0;
  if (gi < 0) gi = gridIds.findIndex((g) => g > (position?.g ?? ''));
  const people: Person[] = [];
  let nextPosition: Position | undefined;
  while (gi >= 0 && gi < gridIds.length && people.length < query.limit) {
    const gridId = gridIds[gi] as string;
    const afterSk = position && position.g === gridId ? position.k : undefined;
    const page = await personRepository(principal).pageOfGrid({
      gridId,
      status: query.status,
      limit: query.limit - people.length,
      afterSk,
    });
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
    nextCursor: nextPosition ? encodeCursor(secret, principal.tenantId, q, nextPosition) : null,
  };
}
