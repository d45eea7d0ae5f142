import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { localDynamoClient } from '../../../infra/local/dynamodb.js';
import {
  lastTwelveMonths,
  seedCommunity,
  seedHousing,
  seedHousingNumbers,
} from '../../../infra/local/seed-data.js';
import { registryTable } from '../../../shared/app/index.js';
import { houseBucketOf } from '../../../shared/modules/housing/counters.js';
import { statisticsKeys } from '../../../shared/modules/statistics/keys.js';
import { monthOf } from '../../../shared/platform/dates.js';
import { testStackLimits } from '../../support/local-stack.js';
import { call, signUp, type Workspace } from '../support/api.js';
import { Pacer, runPool } from '../support/fuzz.js';
import { allItems, job, ok, today } from './fixture.js';

/**
 * The seed district's housing (infra/local/seed-data.ts, what `npm run seed` builds) through the
 * public API at the seed's full volume — 132 landlords, 671 houses, 150 people in them, 2,316
 * letters, 211 bans — and its figures in the statistics: 382 registered, 78 discovered (the
 * registration rate 382 ÷ 460 = 83.04 %), 211 banned, 2,316 letters signed in the last 12 months,
 * within 5 s of the last write, and again after the nightly reconciliation repaired drift.
 */

let ws: Workspace;
let grids: string[];
let houseIds: string[];

const { lettersSignedInLast12Months, peopleInHouses, bannedHousesOccupied, ...expectedTotals } =
  seedHousingNumbers;
const months = lastTwelveMonths(today);

/** Requests paced under the test stack's stage throttle, at most `concurrency` in flight. */
const pacer = new Pacer(testStackLimits.stageThrottle.rateLimit * 0.8, 100);
const paced = async <T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>) =>
  runPool(items, concurrency, async (item) => {
    await pacer.take();
    return fn(item);
  });

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * A batch route over all `items`, 25 per request, `concurrency` requests in flight; every item
 * must be created. Each request writes 8 items at a time, so two requests keep DynamoDB Local
 * busy; a request's latency is about (items in flight) ÷ (the stack's transactions per second),
 * and at most 50 items in flight in all keep every request well inside the function's 10 s
 * timeout even when a busy machine slows DynamoDB Local to 10 transactions a second.
 */
async function batch(path: string, items: readonly unknown[], concurrency: number) {
  const answers = await paced(chunks(items, 25), concurrency, async (chunk) =>
    ok(await call('POST', path, { key: ws.adminKey, body: { items: chunk } }), 200),
  );
  const results = answers.flatMap((a) => a.results as { status: number; [k: string]: unknown }[]);
  const refused = results.filter((r) => r.status !== 201);
  expect(refused.slice(0, 3), `${refused.length} of ${path}'s items were not created`).toEqual([]);
  return results;
}

const figures = async () => {
  const [stats, monthly] = await Promise.all([
    call('GET', '/v1/stats', { key: ws.adminKey }),
    call('GET', `/v1/stats/monthly?from=${months[0]}&to=${months.at(-1)}`, { key: ws.adminKey }),
  ]);
  const totals = stats.body.totals as Record<string, number | null>;
  const lettersSigned = (monthly.body.months as { lettersSigned: number }[]).reduce(
    (n, m) => n + m.lettersSigned,
    0,
  );
  return { totals, lettersSigned, months: (monthly.body.months as unknown[]).length };
};

/** The contract's four figures of the seed district, exactly. */
const theFour = (f: Awaited<ReturnType<typeof figures>>) =>
  f.totals.housesRegistered === 382 &&
  f.totals.housesBanned === 211 &&
  f.totals.registrationRate === 382 / 460 &&
  f.lettersSigned === 2_316;

beforeAll(async () => {
  ws = await signUp('Seed Housing District');
  grids = [
    await ws.grid('Grid 1', 'Xinhua'),
    await ws.grid('Grid 2', 'Xinhua'),
    await ws.grid('Grid 3', 'Xinhua'),
  ];
});

describe('the seed district’s housing', () => {
  it('shows 382 registered, 78 discovered (83 %), 211 banned and 2,316 letters within 5 s of the last write', async () => {
    expect(lettersSignedInLast12Months).toBe(2_316);
    expect(Math.round((expectedTotals.registrationRate as number) * 100)).toBe(83);
    const housing = seedHousing(today, grids);

    const landlordIds = await paced(
      housing.landlords,
      12,
      async (body) =>
        ok(await call('POST', '/v1/landlords', { key: ws.adminKey, body })).landlordId as string,
    );
    houseIds = (await batch('/v1/houses/batch', housing.houses(landlordIds), 2)).map(
      (r) => (r.house as { houseId: string }).houseId,
    );
    expect(houseIds).toHaveLength(382 + 211 + 78);
    const people = housing.occupy(seedCommunity(today, grids), houseIds);
    expect(people.filter((p) => p.houseId !== undefined)).toHaveLength(peopleInHouses);
    const bans = housing.bans(houseIds);
    expect(bans).toHaveLength(211);
    await batch('/v1/people/batch', people, 2);
    // The letters (registered houses only) alongside the bans, which come once the people live in
    // the houses to be banned (a banned house takes nobody new).
    await Promise.all([
      batch('/v1/letters/batch', housing.letters(houseIds, landlordIds), 2),
      paced(bans, 8, async ({ houseId, body }) =>
        ok(await call('POST', `/v1/houses/${houseId}/ban`, { key: ws.adminKey, body }), 200),
      ),
    ]);
    const lastWrite = Date.now();

    let f = await figures();
    while (!theFour(f) && Date.now() - lastWrite < 5_000) {
      await new Promise((r) => setTimeout(r, 100));
      f = await figures();
    }
    const caughtUpMs = Date.now() - lastWrite;
    expect({
      housesRegistered: f.totals.housesRegistered,
      housesBanned: f.totals.housesBanned,
      registrationRate: f.totals.registrationRate,
      lettersSigned: f.lettersSigned,
    }).toEqual({
      housesRegistered: 382,
      housesBanned: 211,
      registrationRate: 382 / 460,
      lettersSigned: 2_316,
    });
    expect(caughtUpMs, 'the statistics show the last write within 5 s').toBeLessThan(5_000);
    expect(f.months).toBe(12);
    // Every other housing figure of the seed, as seed-data.ts computes it (and the people's).
    expect(f.totals).toMatchObject({ ...expectedTotals, floatingPopulation: 303 });
    expect(f.totals.housesDiscovered).toBe(78);

    // The banned houses people still live in: the worklist `npm run seed` leaves for the office.
    const worklist = await allItems(ws.adminKey, '/v1/houses/banned-occupied?limit=100');
    expect(worklist).toHaveLength(bannedHousesOccupied);
    expect(
      worklist.every(
        (h: { status: string; occupants: number }) => h.status === 'banned' && h.occupants === 1,
      ),
    ).toBe(true);
  }, 240_000);

  it('shows them again after reconcile-counters repaired injected drift', async () => {
    // Corrupt the housing counters behind the platform's back: a registered house that does not
    // exist in grid 1's gauges, and letters never signed in grid 2's current month.
    const db = DynamoDBDocumentClient.from(localDynamoClient(`http://127.0.0.1:${inject('dynamoPort')}`));
    const phantom = 'h_01PHANT0M0000000000000000X';
    await db.send(
      new UpdateCommand({
        TableName: registryTable.name,
        Key: statisticsKeys.counterItem(ws, {
          module: 'housing',
          gridId: grids[0] as string,
          kind: 'gauge',
          bucket: houseBucketOf(phantom),
        }),
        UpdateExpression: 'ADD #f :n',
        ExpressionAttributeNames: { '#f': `house|${phantom}|registered|-` },
        ExpressionAttributeValues: { ':n': 1 },
      }),
    );
    await db.send(
      new UpdateCommand({
        TableName: registryTable.name,
        Key: statisticsKeys.counterItem(ws, {
          module: 'housing',
          gridId: grids[1] as string,
          kind: 'month',
          month: monthOf(today),
        }),
        UpdateExpression: 'ADD #f :n',
        ExpressionAttributeNames: { '#f': 'lettersSigned' },
        ExpressionAttributeValues: { ':n': 7 },
      }),
    );
    db.destroy();
    // Negative control: the drift shows.
    const drifted = await figures();
    expect([drifted.totals.housesRegistered, drifted.lettersSigned]).toEqual([383, 2_323]);
    expect(theFour(drifted)).toBe(false);

    const result = await job('reconcile-counters', { settleMs: 300 });
    const mine = result.tenants.find((t: { tenantId: string }) => t.tenantId === ws.tenantId);
    expect(mine.run).toMatchObject({ driftFound: 2, driftRepaired: 2, malformedRecords: 0 });

    const repaired = await figures();
    expect(theFour(repaired)).toBe(true);
    expect(repaired.totals).toMatchObject({ ...expectedTotals, floatingPopulation: 303 });
  }, 120_000);
});
