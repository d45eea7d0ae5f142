import { afterEach, describe, expect, it, vi } from 'vitest';
import { aggregate } from '../../../functions/streams/statistics.js';
import { engine } from '../../../shared/app/index.js';
import { reconcileTenant } from '../../../shared/modules/statistics/reconcile.js';
import { counterRepository } from '../../../shared/modules/statistics/repository/counters.js';
import { expected, peopleGauges, plain, stored } from '../support/counters.js';
import { world } from '../support/world.js';

afterEach(() => vi.restoreAllMocks());

/** A settle period no other timer in the process uses, so the test can act inside it. */
const SETTLE_MS = 4_321;

/**
 * Reconciliation repairs drift only if the difference is the same after the settle wait. Here
 * the counters move during that wait (a stream delta in flight at the first read lands), so the
 * second difference is not the first: the grid must be left for the next run, untouched, even
 * though by then every recent write has its applied-marker and a repair would look safe.
 */
describe('reconciliation of a grid whose counters move during the settle wait', () => {
  it('leaves the grid (skipped, nothing repaired), and the next run repairs the drift', async () => {
    const w = await world('moving', 1);
    const gridId = w.grids[0] as string;
    for (let i = 0; i < 4; i++) await w.registerPerson({ gridId });
    for (const e of await w.streamEvents()) await aggregate(e);
    expect(plain(await stored(w))).toEqual(plain(await expected(w)));

    // Real drift: two inflow lost from the grid's gauges.
    const counters = counterRepository(w.principal);
    await counters.repair(
      { module: 'people', gridId, kind: 'gauge', bucket: '' },
      new Map([['flow|inflow', -2]]),
      (await peopleGauges(w, gridId)).revision,
    );
    // And one registration whose delta is still in the stream when the reconciler first reads.
    await w.registerPerson({ gridId });

    // During the settle wait, the stream catches up: the counters move under the reconciler.
    const realSetTimeout = globalThis.setTimeout;
    let movedDuringWait = false;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
      fn: (...args: unknown[]) => void,
      ms?: number,
      ...args: unknown[]
    ) => {
      if (ms !== SETTLE_MS) return realSetTimeout(fn, ms, ...args);
      return realSetTimeout(() => {
        void (async () => {
          for (const e of await w.streamEvents()) await aggregate(e);
          movedDuringWait = true;
          fn(...args);
        })();
      }, 0);
    }) as typeof setTimeout);
    const beforeRun = plain(await stored(w));
    const moving = await reconcileTenant(w.principal, {
      engine,
      settleMs: SETTLE_MS,
      shouldStop: () => false,
    });
    vi.restoreAllMocks();

    expect(movedDuringWait).toBe(true);
    expect(moving.complete).toBe(true);
    expect(moving.run).toMatchObject({ gridsSkipped: 1, gridsChecked: 0, driftFound: 0, driftRepaired: 0 });
    // Untouched by the reconciler: what is stored now is what the stream made of it, drift and all.
    const afterRun = plain(await stored(w));
    expect(afterRun).not.toEqual(beforeRun); // the stream did move the counters
    const gauges = await peopleGauges(w, gridId);
    expect(gauges.fields.get('flow|inflow')).toBe(5 - 2);
    expect(afterRun).not.toEqual(plain(await expected(w)));

    // The next run finds the same difference twice (nothing moves) and repairs it.
    const next = await reconcileTenant(w.principal, { engine, settleMs: 0, shouldStop: () => false });
    expect(next.run).toMatchObject({ gridsSkipped: 0, gridsChecked: 1, driftRepaired: 1 });
    expect(plain(await stored(w))).toEqual(plain(await expected(w)));
    expect((await peopleGauges(w, gridId)).fields.get('flow|inflow')).toBe(5);
  });
});
