import { afterEach, describe, expect, it, vi } from 'vitest';
import { aggregate } from '../../../functions/streams/statistics.js';
import { engine } from '../../../shared/app/index.js';
import { personRepository } from '../../../shared/modules/people/repository.js';
import { close } from '../../../shared/modules/people/rules/person.js';
import { reconcileTenant } from '../../../shared/modules/statistics/reconcile.js';
import { counterRepository } from '../../../shared/modules/statistics/repository/counters.js';
import { reconciliationRepository } from '../../../shared/modules/statistics/repository/reconciliations.js';
import { addDays, todayIn } from '../../../shared/platform/dates.js';
import { documentClient } from '../../../shared/platform/table/client.js';
import { expected, peopleGauges, plain, stored } from '../support/counters.js';
import { world } from '../support/world.js';

afterEach(() => vi.restoreAllMocks());

describe('reconciliation', () => {
  it('drops counter fields that came to zero, keeping the numbers', async () => {
    const w = await world('compact', 1);
    const gridId = w.grids[0] as string;
    const p = await w.registerPerson({ born: '1977-07-07', arrivedOn: addDays(w.today, -3) });
    for (const e of await w.streamEvents()) await aggregate(e);
    await personRepository(w.principal).apply({
      transition: close(p, w.today, new Date().toISOString()),
      fromVersion: p.version,
      idHash: p.idHash,
      actor: { keyId: 'k', name: 't' },
    });
    for (const e of await w.streamEvents()) await aggregate(e);
    const before = await peopleGauges(w, gridId);
    expect([...before.fields.values()].filter((n) => n === 0).length).toBeGreaterThan(0);
    await reconcileTenant(w.principal, {
      engine,
      settleMs: 0,
      shouldStop: () => false,
    });
    const after = await peopleGauges(w, gridId);
    expect([...after.fields.values()].filter((n) => n === 0)).toEqual([]);
    expect(plain(await stored(w))).toEqual(plain(await expected(w)));
  });

  it('repairs injected drift, records its run, and resumes from a checkpoint', async () => {
    const w = await world('recon', 3);
    for (let i = 0; i < 30; i++) await w.registerPerson({ gridId: w.grids[i % 3] });
    for (const e of await w.streamEvents()) await aggregate(e);
    expect(plain(await stored(w))).toEqual(plain(await expected(w)));

    // Drift: lose 2 inflow in grid 0, invent a month in grid 2.
    const counters = counterRepository(w.principal);
    await counters.repair(
      { module: 'people', gridId: w.grids[0]!, kind: 'gauge', bucket: '' },
      new Map([['flow|inflow', -2]]),
      (await peopleGauges(w, w.grids[0]!)).revision,
    );
    await counters.repair(
      { module: 'people', gridId: w.grids[2]!, kind: 'month', month: '2001-01' },
      new Map([['registered', 7]]),
      undefined,
    );
    expect(plain(await stored(w))).not.toEqual(plain(await expected(w)));

    // Stop after the first grid: the run is checkpointed and incomplete.
    let grids = 0;
    const partial = await reconcileTenant(w.principal, {
      engine,
      settleMs: 0,
      shouldStop: () => grids++ >= 1,
    });
    expect(partial.complete).toBe(false);
    expect(partial.run).toMatchObject({ finishedAt: null, gridsChecked: 1, driftRepaired: 1 });
    const resumed = await reconcileTenant(w.principal, {
      engine,
      settleMs: 0,
      shouldStop: () => false,
    });
    expect(resumed.complete).toBe(true);
    expect(resumed.run).toMatchObject({
      runId: partial.run.runId,
      gridsChecked: 3,
      driftFound: 2,
      driftRepaired: 2,
      finishedAt: expect.any(String),
    });
    expect(resumed.run.recordsRead).toBeGreaterThanOrEqual(30);
    expect(plain(await stored(w))).toEqual(plain(await expected(w)));

    const runs = await reconciliationRepository(w.principal).list(10);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ runId: partial.run.runId, driftFound: 2, driftRepaired: 2 });
    const clean = await reconcileTenant(w.principal, {
      engine,
      settleMs: 0,
      shouldStop: () => false,
    });
    expect(clean.run).toMatchObject({ driftFound: 0, driftRepaired: 0 });
    expect(todayIn('Asia/Shanghai')).toBe(w.today);
  });
});

describe('reconciliation and the stream in flight', () => {
  it('never "repairs" a delta the stream has not applied yet (it would count twice)', async () => {
    const w = await world('inflight', 1);
    for (const e of await w.streamEvents()) await aggregate(e);
    await w.registerPerson({ gridId: w.grids[0] });
    // The stream is behind: the new registration's delta is not in the counters yet.
    const run = await reconcileTenant(w.principal, {
      engine,
      settleMs: 0,
      shouldStop: () => false,
    });
    expect(run.run).toMatchObject({ driftRepaired: 0, gridsSkipped: 1 });
    for (const e of await w.streamEvents()) await aggregate(e);
    expect(plain(await stored(w))).toEqual(plain(await expected(w)));
  });

  it('reports a corrupted stored record instead of failing the run', async () => {
    const w = await world('malformed', 1);
    const p = await w.registerPerson({ gridId: w.grids[0] });
    for (const e of await w.streamEvents()) await aggregate(e);
    const doc = documentClient();
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    await doc.send(
      new UpdateCommand({
        TableName: w.tables.registry,
        Key: { pk: `TENANT#${w.principal.tenantId}#PERSON#${p.personId}`, sk: 'PERSON' },
        UpdateExpression: 'SET arrivedOn = :bad',
        ExpressionAttributeValues: { ':bad': 'yesterday-ish' },
      }),
    );
    const run = await reconcileTenant(w.principal, {
      engine,
      settleMs: 0,
      shouldStop: () => false,
    });
    expect(run.complete).toBe(true);
    expect(run.run.malformedRecords).toBe(1);
  });

  it('a nightly pass continued in new invocations finishes every tenant once', async () => {
    const a = await world('pass-a', 1);
    // Three tenants in the same tables (the nightly pass walks them all).
    const tenants = [
      a,
      await world('pass-b', 1, { tables: a.tables }),
      await world('pass-c', 1, { tables: a.tables }),
    ];
    for (const w of tenants) await w.registerPerson({ gridId: w.grids[0] });
    const passStartedAt = new Date().toISOString();
    // First invocation: time runs out after the first tenant.
    const first = await reconcileTenant(tenants[0]!.principal, {
      engine,
      settleMs: 0,
      shouldStop: () => false,
      passStartedAt,
    });
    expect(first.complete).toBe(true);
    // The continuation starts again at the first tenant: it is skipped, not re-run.
    const again = await reconcileTenant(tenants[0]!.principal, {
      engine,
      settleMs: 0,
      shouldStop: () => false,
      passStartedAt,
    });
    expect(again.run.runId).toBe(first.run.runId);
    for (const w of tenants.slice(1)) {
      expect(
        (
          await reconcileTenant(w.principal, {
            engine,
            settleMs: 0,
            shouldStop: () => false,
            passStartedAt,
          })
        ).complete,
      ).toBe(true);
    }
    expect(await reconciliationRepository(tenants[0]!.principal).list(10)).toHaveLength(1);
    // The next night's pass runs it again.
    const nextNight = await reconcileTenant(tenants[0]!.principal, {
      engine,
      settleMs: 0,
      shouldStop: () => false,
      passStartedAt: new Date(Date.now() + 1000).toISOString(),
    });
    expect(nextNight.run.runId).not.toBe(first.run.runId);
  });
});
