import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { aggregate } from '../../../functions/streams/statistics.js';
import { engine } from '../../../shared/app/index.js';
import { personRepository, StaleWriteError } from '../../../shared/modules/people/repository.js';
import { close, verify } from '../../../shared/modules/people/rules/person.js';
import { closeStaleRegistrations } from '../../../shared/modules/people/use-cases/close-stale.js';
import { sum } from '../../../shared/modules/statistics/engine.js';
import { reconcileTenant } from '../../../shared/modules/statistics/reconcile.js';
import { counterRepository } from '../../../shared/modules/statistics/repository/counters.js';
import { reconciliationRepository } from '../../../shared/modules/statistics/repository/reconciliations.js';
import { gridRecords } from '../../../shared/modules/statistics/repository/records.js';
import { type Contributions, counterItemId } from '../../../shared/platform/counting.js';
import { addDays, todayIn } from '../../../shared/platform/dates.js';
import { documentClient } from '../../../shared/platform/table/client.js';
import { asEvent, records, world } from '../support/world.js';

type World = Awaited<ReturnType<typeof world>>;

/** What the counters must be: the reconciler's sum of contributions over the records. */
async function expected(w: World): Promise<Contributions> {
  const parts: Contributions[] = [];
  for (const gridId of w.grids)
    for await (const page of gridRecords(w.principal, gridId))
      parts.push(sum(page.map((r) => engine.contributions(r))));
  return sum(parts);
}

/** What the counters are. */
async function stored(w: World): Promise<Contributions> {
  const out: Contributions = new Map();
  const repo = counterRepository(w.principal);
  for (const gridId of w.grids) {
    const items = [
      ...(await repo.gaugeItems(gridId, { consistent: true })),
      ...(await repo.monthItems(gridId, { from: '0000-01', to: '9999-12', consistent: true })),
    ];
    for (const item of items) {
      const fields = new Map([...item.fields].filter(([, n]) => n !== 0));
      if (fields.size > 0) out.set(counterItemId(item.ref), fields);
    }
  }
  for (const [id, f] of out) if (f.size === 0) out.delete(id);
  return out;
}

/** The people gauges of a grid, merged, and the main gauge item's revision. */
async function peopleGauges(w: World, gridId: string) {
  const fields = new Map<string, number>();
  let revision: number | undefined;
  for (const item of await counterRepository(w.principal).gaugeItems(gridId, { consistent: true })) {
    if (item.ref.module !== 'people' || item.ref.kind !== 'gauge') continue;
    for (const [f, n] of item.fields) fields.set(f, (fields.get(f) ?? 0) + n);
    if (item.ref.bucket === '') revision = item.revision;
  }
  return { fields, revision };
}

const plain = (c: Contributions) => Object.fromEntries([...c].map(([id, f]) => [id, Object.fromEntries(f)]));

afterEach(() => vi.restoreAllMocks());

describe('the stream aggregator is exact under at-least-once delivery', () => {
  let w: World;
  beforeAll(async () => {
    w = await world('agg', 3);
    // A realistic mix: registrations in three grids, moves, departures, verifications, edits.
    const people = [];
    for (let i = 0; i < 120; i++) {
      people.push(
        await w.registerPerson({
          gridId: w.grids[i % 3],
          sex: i % 2 ? 'male' : 'female',
          born: i % 5 ? '1990-06-01' : '1960-01-01',
          flow: i % 7 ? 'inflow' : 'outflow',
          arrivedOn: addDays(w.today, -(i % 40)),
        }),
      );
    }
    const repo = personRepository(w.principal);
    const actor = { keyId: 'k', name: 't' };
    for (const p of people.slice(0, 30)) {
      const tr = verify(
        p,
        { verifiedOn: w.today, outcome: 'moved', gridId: w.grids[(w.grids.indexOf(p.gridId) + 1) % 3] },
        w.today,
        new Date().toISOString(),
      );
      await repo.apply({
        transition: tr,
        fromVersion: p.version,
        idHash: p.idHash,
        actor,
        extra: { verifiedOn: w.today, outcome: 'moved' },
      });
    }
    for (const p of people.slice(30, 45)) {
      await repo.apply({
        transition: close(p, w.today, new Date().toISOString()),
        fromVersion: p.version,
        idHash: p.idHash,
        actor,
      });
    }
  }, 120_000);

  it('a single clean delivery gives exactly the reconciler’s numbers', async () => {
    const events = await w.streamEvents();
    expect(records(events).length).toBeGreaterThan(150);
    for (const e of events) expect((await aggregate(e)).batchItemFailures).toEqual([]);
    expect(plain(await stored(w))).toEqual(plain(await expected(w)));
  });

  it('a batch delivered twice, in other compositions, or retried after a crash half-way changes nothing', async () => {
    const all = records(await w.streamEvents());
    const truth = plain(await expected(w));
    // Replay everything again, as one big redelivery and as halves (bisect).
    await aggregate(asEvent(all.slice(0, 100)));
    await aggregate(asEvent(all.slice(50, 90)));
    await aggregate(asEvent(all.slice(100)));
    expect(plain(await stored(w))).toEqual(truth);

    // Crash after the first transaction of a batch: the retry applies the rest exactly once.
    const client = documentClient();
    const realSend = client.send.bind(client);
    let transactions = 0;
    vi.spyOn(client, 'send').mockImplementation(((
      command: { constructor: { name: string } },
      ...rest: unknown[]
    ) => {
      if (command.constructor.name === 'TransactWriteCommand' && ++transactions === 2) {
        return Promise.reject(new Error('Lambda crashed (injected)'));
      }
      return (realSend as (...a: unknown[]) => Promise<unknown>)(command, ...rest);
    }) as typeof client.send);
    await expect(aggregate(asEvent(all))).rejects.toThrow('injected');
    vi.restoreAllMocks();
    await aggregate(asEvent(all));
    expect(plain(await stored(w))).toEqual(truth);
  });

  it('new writes after replays still count once', async () => {
    const before = (await w.streamEvents()).length;
    await w.registerPerson({ gridId: w.grids[1] });
    const events = await w.streamEvents();
    expect(events.length).toBeGreaterThanOrEqual(before);
    for (const e of events) await aggregate(e); // everything redelivered plus the new one
    expect(plain(await stored(w))).toEqual(plain(await expected(w)));
  });

  it('a poison record is reported, the rest of the batch is applied, and a retry from it double-counts nothing', async () => {
    await w.registerPerson({ gridId: w.grids[2] });
    await w.registerPerson({ gridId: w.grids[2] });
    const all = records(await w.streamEvents());
    const tail = all.slice(-4);
    const poison = structuredClone(tail[1]!);
    poison.eventID = 'poison-1';
    poison.dynamodb!.SequenceNumber = `${poison.dynamodb!.SequenceNumber}9`;
    poison.dynamodb!.NewImage = { entity: { S: 'person' }, status: { S: 'active' } }; // no grid, no flow
    const batch = [tail[0]!, poison, tail[2]!, tail[3]!];
    const result = await aggregate(asEvent(batch));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: poison.dynamodb!.SequenceNumber }]);
    // The event source mapping retries from the poison record: it fails again, the rest is deduplicated.
    const retry = await aggregate(asEvent(batch.slice(1)));
    expect(retry.batchItemFailures).toEqual([{ itemIdentifier: poison.dynamodb!.SequenceNumber }]);
    expect(plain(await stored(w))).toEqual(plain(await expected(w)));
  });
});

describe('closing stale registrations', () => {
  it('reads only the due registrations and a concurrent verification wins', async () => {
    const w = await world('stale', 1);
    const longAgo = addDays(w.today, -200);
    for (let i = 0; i < 40; i++) await w.registerPerson({ arrivedOn: addDays(w.today, -(i % 100)) });
    const due = [];
    for (let i = 0; i < 5; i++) due.push(await w.registerPerson({ arrivedOn: longAgo }));
    const raced = due[0]!;

    // Verify `raced` exactly between the closer's read and its conditional write.
    const client = documentClient();
    const realSend = client.send.bind(client);
    let injected = false;
    vi.spyOn(client, 'send').mockImplementation((async (
      command: { constructor: { name: string }; input: { Key?: { pk?: string } } },
      ...rest: unknown[]
    ) => {
      const out = await (realSend as (...a: unknown[]) => Promise<unknown>)(command, ...rest);
      if (
        !injected &&
        command.constructor.name === 'GetCommand' &&
        command.input.Key?.pk?.endsWith(raced.personId)
      ) {
        injected = true;
        const tr = verify(
          raced,
          { verifiedOn: w.today, outcome: 'present' },
          w.today,
          new Date().toISOString(),
        );
        await personRepository(w.principal).apply({
          transition: tr,
          fromVersion: raced.version,
          idHash: raced.idHash,
          actor: { keyId: 'k', name: 'officer' },
        });
      }
      return out;
    }) as typeof client.send);
    const report = await closeStaleRegistrations(w.principal);
    vi.restoreAllMocks();
    expect(injected).toBe(true);
    expect(report).toMatchObject({ candidates: 5, closed: 4, skipped: 1 });
    const repo = personRepository(w.principal);
    expect(await repo.get(raced.personId)).toMatchObject({ status: 'active', lastVerifiedOn: w.today });
    for (const p of due.slice(1))
      expect(await repo.get(p.personId)).toMatchObject({ status: 'closed', closedOn: w.today });

    // Safe to run twice, and concurrently.
    const [a, b] = await Promise.all([
      closeStaleRegistrations(w.principal),
      closeStaleRegistrations(w.principal),
    ]);
    expect(a.closed + b.closed).toBe(0);
    // The guard of a closed registration is released: the person can register again.
    await expect(personRepository(w.principal).activePersonIdOf(due[1]!.idHash)).resolves.toBeUndefined();
  });

  it('a closure and a verification racing for real: exactly one wins', async () => {
    const w = await world('race', 1);
    for (let round = 0; round < 5; round++) {
      const p = await w.registerPerson({ arrivedOn: addDays(w.today, -300) });
      const repo = personRepository(w.principal);
      const verification = repo
        .apply({
          transition: verify(
            p,
            { verifiedOn: w.today, outcome: 'present' },
            w.today,
            new Date().toISOString(),
          ),
          fromVersion: p.version,
          idHash: p.idHash,
          actor: { keyId: 'k', name: 'o' },
        })
        .then(
          () => 'verified',
          (e) => (e instanceof StaleWriteError ? 'lost' : Promise.reject(e)),
        );
      const [verified, report] = await Promise.all([verification, closeStaleRegistrations(w.principal)]);
      const now = await repo.get(p.personId);
      if (verified === 'verified') {
        expect(now).toMatchObject({ status: 'active', lastVerifiedOn: w.today });
        expect(report.closed).toBe(0);
      } else {
        expect(now?.status).toBe('closed');
        expect(report.closed).toBe(1);
      }
    }
  });
});

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
    const tenants = [await world('pass-a', 1), await world('pass-b', 1), await world('pass-c', 1)];
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
