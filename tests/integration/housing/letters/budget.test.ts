import { beforeAll, describe, expect, it } from 'vitest';
import { letterRoutes as routes } from '../../../../shared/modules/housing/letters/index.js';
import { routeKeyOf } from '../../../../shared/platform/http/route.js';
import { countDynamoRequests, overBudget } from '../../budget/counting.js';
import { lettersHttp, letterTables, letterWorld } from './support.js';

/**
 * Each letters route's declared `budget` holds for a representative successful call (the
 * authorizer is not part of this in-process call, as on a warm stack where its answer is
 * cached). Once the housing manifest is wired into shared/app, tests/integration/budget covers
 * them with the rest of the route table.
 */
type World = Awaited<ReturnType<typeof letterWorld>>;
let w: World;
let landlordId: string;
const call = lettersHttp();
const counter = countDynamoRequests();

beforeAll(async () => {
  w = await letterWorld('letters-budget', 1, await letterTables('letters-budget'));
  landlordId = await w.landlord();
});

describe('the letters routes keep their request budgets', () => {
  it('every route, one successful call each', async () => {
    const houseId = await w.house();
    const create = () =>
      call(w.principal, 'POST', routes.create.path, { body: w.body({ houseId, landlordId }) });
    const letterId = (await create()).body.letterId as string;
    const scenarios: Record<string, () => ReturnType<typeof call>> = {
      [routeKeyOf(routes.create)]: create,
      [routeKeyOf(routes.batch)]: () =>
        call(w.principal, 'POST', routes.batch.path, { body: { items: [w.body({ houseId, landlordId })] } }),
      [routeKeyOf(routes.list)]: () =>
        call(w.principal, 'GET', routes.list.path, { query: { houseId, kind: 'guarantee' } }),
      [routeKeyOf(routes.expiring)]: () => call(w.principal, 'GET', routes.expiring.path),
      [routeKeyOf(routes.get)]: () => call(w.principal, 'GET', routes.get.path, { params: { letterId } }),
      [routeKeyOf(routes.history)]: () =>
        call(w.principal, 'GET', routes.history.path, { params: { letterId } }),
      [routeKeyOf(routes.revoke)]: () =>
        call(w.principal, 'POST', routes.revoke.path, {
          params: { letterId },
          body: { reason: 'x' },
          headers: { 'if-match': '"1"' },
        }),
    };
    const violations: string[] = [];
    for (const route of Object.values(routes)) {
      const key = routeKeyOf(route);
      const scenario = scenarios[key];
      expect(scenario, `a scenario for ${key}`).toBeDefined();
      counter.reset();
      const res = await scenario!();
      expect(res.status, key).toBeLessThan(300);
      const v = overBudget(key, route.budget, counter.commands);
      if (v) violations.push(v);
    }
    expect(violations).toEqual([]);
  });

  it('a batch costs its houses once plus one transaction per item', async () => {
    const houses = [await w.house(), await w.house()];
    const items = Array.from({ length: 6 }, (_, i) =>
      w.body({ houseId: houses[i % 2] as string, landlordId }),
    );
    counter.reset();
    const res = await call(w.principal, 'POST', routes.batch.path, { body: { items } });
    expect((res.body.results as { status: number }[]).every((r) => r.status === 201)).toBe(true);
    expect(
      overBudget('POST /v1/letters/batch (6 items)', 1 + items.length, counter.commands),
    ).toBeUndefined();
  });
});
