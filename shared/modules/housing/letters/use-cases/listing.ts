import type { Principal } from '../../../../platform/access/principal.js';
import { assertInScope, inScope } from '../../../../platform/access/scope.js';
import { decodeCursor, encodeCursor } from '../../../../platform/cursor.js';
import { NotFound } from '../../../../platform/errors.js';
import { idPattern } from '../../../../platform/ids.js';
import { deploymentSecret } from '../../../../platform/secrets.js';
import { gridInScope } from '../../../grids/use-cases.js';
import { type LetterFilter, letterRepository } from '../repository/index.js';
import type { Letter, LetterStatus } from '../rules/letter.js';

/** Listing letters: cursor-paged, stable order, cursors bound to the tenant and the query. */

export interface LettersPage {
  letters: Letter[];
  nextCursor: string | null;
}

/**
 * Letters of the township (the key's grids), or of one house, in letterId (creation) order,
 * optionally of one kind and status and valid until before a day. A page is one index Query
 * plus one BatchGet; with `houseId`, the house is read first (unknown → 404, another grid → 403).
 */
export async function listLetters(
  principal: Principal,
  query: {
    houseId?: string;
    gridId?: string;
    kind?: string;
    status?: LetterStatus;
    expiringBefore?: string;
    limit: number;
    cursor?: string;
  },
): Promise<LettersPage> {
  const secret = await deploymentSecret();
  const { houseId, gridId, kind, status, expiringBefore, limit } = query;
  const repo = letterRepository(principal);
  // one grid of the key's scope (an unknown grid is 404, another one 403)
  if (gridId !== undefined) await gridInScope(principal, gridId);
  if (houseId !== undefined) {
    const house = idPattern.test(houseId) ? await repo.house(houseId) : undefined;
    if (!house) throw new NotFound('house');
    assertInScope(principal, house.gridId, 'see letters of houses of that grid');
  }
  const q = `letters:${houseId ?? '*'}:${gridId ?? '*'}:${kind ?? '*'}:${status ?? '*'}:${expiringBefore ?? '*'}`;
  const afterSk = query.cursor
    ? decodeCursor<string>(secret, principal.tenantId, q, query.cursor)
    : undefined;
  const filter: LetterFilter = {
    ...(kind !== undefined ? { kind } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(expiringBefore !== undefined ? { expiringBefore } : {}),
    // a house's letters are all in its grid (checked above)
    ...(gridId !== undefined
      ? { gridIds: [gridId] }
      : houseId === undefined && principal.gridIds !== undefined
        ? { gridIds: principal.gridIds }
        : {}),
  };
  const page =
    houseId !== undefined
      ? await repo.pageOfHouse({ houseId, filter, limit, ...(afterSk ? { afterSk } : {}) })
      : await repo.pageOfTenant({ filter, limit, ...(afterSk ? { afterSk } : {}) });
  return {
    letters: page.letters,
    nextCursor: page.more && page.lastSk ? encodeCursor(secret, principal.tenantId, q, page.lastSk) : null,
  };
}

/**
 * The expiring-letters worklist: valid letters the job has flagged (the lapsing partitions), in
 * the key's scope (or one grid of it), soonest `validUntil` first.
 */
export async function listExpiring(
  principal: Principal,
  query: { gridId?: string; limit: number; cursor?: string },
): Promise<LettersPage> {
  const secret = await deploymentSecret();
  const { gridId, limit } = query;
  if (gridId !== undefined && !inScope(principal, gridId)) await gridInScope(principal, gridId);
  const q = `letters-expiring:${gridId ?? '*'}`;
  const afterSk = query.cursor
    ? decodeCursor<string>(secret, principal.tenantId, q, query.cursor)
    : undefined;
  const gridIds = gridId !== undefined ? [gridId] : principal.gridIds;
  const page = await letterRepository(principal).pageOfLapsing({
    limit,
    ...(afterSk ? { afterSk } : {}),
    ...(gridIds ? { gridIds } : {}),
  });
  if (gridId !== undefined && afterSk === undefined && page.letters.length === 0 && !page.more) {
    await gridInScope(principal, gridId); // an empty first page: is the grid there at all?
  }
  return {
    letters: page.letters,
    nextCursor: page.more && page.lastSk ? encodeCursor(secret, principal.tenantId, q, page.lastSk) : null,
  };
}
