import { beforeAll, describe, expect, it } from 'vitest';
import { aggregate } from '../../../functions/streams/statistics.js';
import { engine } from '../../../shared/app/index.js';
import { houseBucketOf, houseGaugeRef, housingCountersOn } from '../../../shared/modules/housing/counters.js';
import { houseRepository } from '../../../shared/modules/housing/repository.js';
import { viewsOf } from '../../../shared/modules/housing/use-cases/houses.js';
import { listBannedOccupied } from '../../../shared/modules/housing/use-cases/listing.js';
import { statsOfScope } from '../../../shared/modules/statistics/read.js';
import { reconcileTenant } from '../../../shared/modules/statistics/reconcile.js';
import { counterRepository } from '../../../shared/modules/statistics/repository/counters.js';
import { counterItemRef } from '../../../shared/platform/counting.js';
import { expected, plain, stored } from '../support/counters.js';
import { world } from '../support/world.js';
import { housingExactness } from './exactness-fixture.js';

type World = Awaited<ReturnType<typeof world>>;
let w: World;

beforeAll(async () => {
  w = await world('housing-stats', 3);
  await housingExactness.populate(w);
  for (const e of await w.streamEvents()) await aggregate(e);
}, 120_000);

/** The housing gauges of every grid, merged, from a contributions map (what the reconciler expects). */
function expectedHousingGauges(c: Awaited<ReturnType<typeof expected>>, gridId: string) {
  const merged = new Map<string, number>();
  for (const [id, fields] of c) {
    const ref = counterItemRef(id);
    if (ref.module === 'housing' && ref.kind === 'gauge' && ref.gridId === gridId)
      for (const [f, n] of fields) merged.set(f, (merged.get(f) ?? 0) + n);
  }
  return merged;
}

describe('the housing statistics, from the stream', () => {
  it('GET /v1/stats reports every housing figure exactly as the records say, and the fixture exercises them', async () => {
    expect(plain(await stored(w))).toEqual(plain(await expected(w)));
    const truth = await expected(w);
    const stats = await statsOfScope(w.principal, engine);
    for (const row of stats.grids) {
      const want = housingCountersOn(expectedHousingGauges(truth, row.gridId), w.today);
      for (const [k, v] of Object.entries(want)) expect((row as Record<string, unknown>)[k], k).toBe(v);
    }
    const t = stats.totals as Record<string, number>;
    // a fixture that counts nothing would prove nothing
    for (const f of [
      'housesRegistered',
      'housesDiscovered',
      'housesBanned',
      'housesClosed',
      'housesLet',
      'lettersValid',
    ])
      expect(t[f], f).toBeGreaterThan(0);
    const [registered, discovered] = [t.housesRegistered ?? 0, t.housesDiscovered ?? 0];
    expect(t.registrationRate).toBeCloseTo(registered / (registered + discovered), 10);
  });

  it('a house’s occupants are its active people, per the counters; the banned worklist lists the occupied ones', async () => {
    const page = await houseRepository(w.principal).pageOfTenant({ limit: 100 });
    const views = await viewsOf(w.principal, page.houses, false);
    const records = await houseRepository(w.principal).housesOf(views.map((v) => v.houseId));
    expect(records).toHaveLength(views.length);
    const truth = await expected(w);
    for (const v of views) {
      const fields = truth.get(`housing|${v.gridId}|gauge|${houseBucketOf(v.houseId)}`);
      expect(v.occupants, v.houseId).toBe(fields?.get(`occ|${v.houseId}`) ?? 0);
      expect(v.overOccupied).toBe(v.maxOccupants !== null && v.occupants > v.maxOccupants);
    }
    const banned = views.filter((v) => v.status === 'banned');
    const worklist = await listBannedOccupied(w.principal, { limit: 100 });
    expect(worklist.houses.map((h) => h.houseId).sort()).toEqual(
      banned
        .filter((v) => v.occupants > 0)
        .map((v) => v.houseId)
        .sort(),
    );
    expect(banned.some((v) => v.occupants > 0)).toBe(true);
  });

  it('reconciliation repairs drift in a housing bucket (and finds none when there is none)', async () => {
    const [house] = (await houseRepository(w.principal).pageOfTenant({ limit: 1 })).houses;
    if (!house) throw new Error('no house');
    const ref = houseGaugeRef(house.gridId, house.houseId);
    const [item] = await counterRepository(w.principal).itemsOf([ref]);
    await counterRepository(w.principal).repair(ref, new Map([[`occ|${house.houseId}`, 5]]), item?.revision);
    expect(plain(await stored(w))).not.toEqual(plain(await expected(w)));
    const run = await reconcileTenant(w.principal, { engine, settleMs: 0, shouldStop: () => false });
    expect(run.run.driftRepaired).toBeGreaterThanOrEqual(1);
    expect(run.run.malformedRecords).toBe(0);
    expect(plain(await stored(w))).toEqual(plain(await expected(w)));
    const clean = await reconcileTenant(w.principal, { engine, settleMs: 0, shouldStop: () => false });
    expect(clean.run.driftFound).toBe(0);
  });
});
