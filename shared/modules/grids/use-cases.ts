import type { Principal } from '../../platform/access/principal.js';
import { assertInScope, inScope } from '../../platform/access/scope.js';
import { NotFound } from '../../platform/errors.js';
import { idPattern } from '../../platform/ids.js';
import { type Grid, gridRepository } from './repository.js';

/** One grid the key may see: unknown (or another tenant's) → 404, outside the key's grids → 403. */
export async function gridInScope(principal: Principal, gridId: string | undefined): Promise<Grid> {
  const grid = gridId && idPattern.test(gridId) ? await gridRepository(principal).get(gridId) : undefined;
  if (!grid) throw new NotFound('grid');
  assertInScope(principal, grid.gridId);
  return grid;
}

/** Every grid of the township the key may see, in gridId order. */
export async function gridsInScope(principal: Principal): Promise<Grid[]> {
  return (await gridRepository(principal).list()).filter((g) => inScope(principal, g.gridId));
}
