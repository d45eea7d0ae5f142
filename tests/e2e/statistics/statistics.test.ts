import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { localDynamoClient } from '../../../infra/local/dynamodb.js';
import { seedCommunity, seedNumbers } from '../../../infra/local/seed-data.js';
import { registryTable } from '../../../shared/app/index.js';
import { statisticsKeys } from '../../../shared/modules/statistics/keys.js';
import { addDays, monthOf, todayIn } from '../../../shared/platform/dates.js';
import { idNumberFor } from '../../support/people.js';
import { call, eventually, signUp, type Workspace } from '../support/api.js';

const run = promisify(execFile);
const today = todayIn('Asia/Shanghai');

/** `npm run job -- <name> [input]` against the e2e stack, exactly as a person would run it. */
async function job(name: string, input?: Record<string, unknown>) {
  const { stdout } = await run(
    'npm',
    ['run', '--silent', 'job', '--', name, ...(input ? [JSON.stringify(input)] : [])],
    {
      env: {
        ...process.env,
        PORT: String(inject('port')),
        DYNAMODB_PORT: String(inject('dynamoPort')),
        DATA_DIR: inject('dataDir'),
      },
      timeout: 60_000,
    },
  );
  const outputs = stdout
    .split(/\n(?=\{)/)
    .filter((s) => s.trim().startsWith('{'))
    .map((s) => JSON.parse(s));
  return outputs.at(-1).result;
}

const stats = (key: string) => call('GET', '/v1/stats', { key });

let ws: Workspace;
let grids: string[];

beforeAll(async () => {
  ws = await signUp('Seed Community');
  grids = [
    await ws.grid('Grid 1', 'Xinhua'),
    await ws.grid('Grid 2', 'Xinhua'),
    await ws.grid('Grid 3', 'Xinhua'),
  ];
});

describe('statistics of the seed community', () => {
  it('shows the report’s numbers within 5 s of registering 303 people', async () => {
    const people = seedCommunity(today, grids);
    expect(people).toHaveLength(303);
    for (let i = 0; i < people.length; i += 100) {
      const res = await call('POST', '/v1/people/batch', {
        key: ws.adminKey,
        body: { items: people.slice(i, i + 100) },
      });
      expect(res.body.results.every((r: { status: number }) => r.status === 201)).toBe(true);
    }
    const acknowledged = Date.now();
    const res = await eventually(
      () => stats(ws.adminKey),
      (r) => r.body.totals.floatingPopulation === 303,
      5000,
    );
    const caughtUpMs = Date.now() - acknowledged;
    // the people figures exactly; this township has no houses, so every housing figure is zero
    expect(res.body.totals).toMatchObject(seedNumbers);
    expect(res.body.totals).toMatchObject({ housesRegistered: 0, housesDiscovered: 0, lettersValid: 0 });
    expect(caughtUpMs).toBeLessThan(5000);
    expect(res.body.asOf).toBe(today);
    expect(res.body.grids.map((g: { gridId: string }) => g.gridId)).toEqual(grids);
    expect(res.body.grids.reduce((n: number, g: { inflow: number }) => n + g.inflow, 0)).toBe(299);
    const monthly = await call(
      'GET',
      `/v1/stats/monthly?from=${monthOf(addDays(today, -80))}&to=${monthOf(today)}`,
      { key: ws.adminKey },
    );
    expect(monthly.body.months.reduce((n: number, m: { registered: number }) => n + m.registered, 0)).toBe(
      303,
    );
  });

  it('departures, moves and verifications move the numbers', async () => {
    const woman = (
      await call('POST', '/v1/people', {
        key: ws.adminKey,
        body: {
          idNumber: idNumberFor('female', '1991-04-04'),
          name: 'Chen Li',
          flow: 'inflow',
          gridId: grids[0],
          address: 'Block 1',
          arrivedOn: addDays(today, -200),
          maritalStatus: 'married',
        },
      })
    ).body;
    const before = await eventually(
      () => stats(ws.adminKey),
      (r) => r.body.totals.floatingPopulation === 304,
    );
    expect(before.body.totals).toMatchObject({
      inflowMarriedWomenOfChildbearingAge: 108,
      verificationDue: 1,
    });

    await call('POST', `/v1/people/${woman.personId}/verifications`, {
      key: ws.adminKey,
      body: { verifiedOn: today, outcome: 'moved', gridId: grids[2], address: 'Block 9' },
    });
    const moved = await eventually(
      () => stats(ws.adminKey),
      (r) => r.body.totals.verificationDue === 0,
    );
    expect(moved.body.totals.verificationDue).toBe(0);
    const grid3 = await call('GET', `/v1/grids/${grids[2]}/stats`, { key: ws.adminKey });
    expect(grid3.body).toMatchObject({ gridId: grids[2], asOf: today });

    await call('POST', `/v1/people/${woman.personId}/departure`, {
      key: ws.adminKey,
      body: { departedOn: today, reason: 'left' },
    });
    const after = await eventually(
      () => stats(ws.adminKey),
      (r) => r.body.totals.floatingPopulation === 303,
    );
    expect(after.body.totals).toMatchObject(seedNumbers);
    const month = await call('GET', `/v1/stats/monthly?from=${monthOf(today)}&to=${monthOf(today)}`, {
      key: ws.adminKey,
    });
    expect(month.body.months[0]).toMatchObject({
      month: monthOf(today),
      departed: 1,
      verified: 1,
      writeOffRate: 1,
    });
  });

  it('scopes statistics to a key’s grids', async () => {
    const gridKey = await ws.keyOf('grid', [grids[1] as string]);
    const viewer = await ws.keyOf('viewer');
    const scoped = await stats(gridKey);
    expect(scoped.body.grids.map((g: { gridId: string }) => g.gridId)).toEqual([grids[1]]);
    expect(scoped.body.totals.floatingPopulation).toBe(scoped.body.grids[0].floatingPopulation);
    expect((await call('GET', `/v1/grids/${grids[0]}/stats`, { key: gridKey })).status).toBe(403);
    expect((await stats(viewer)).body.totals.floatingPopulation).toBe(303);
    const other = await signUp();
    expect((await call('GET', `/v1/grids/${grids[0]}/stats`, { key: other.adminKey })).status).toBe(404);
    expect((await stats(other.adminKey)).body.totals.floatingPopulation).toBe(0);
    expect((await call('GET', '/v1/stats/monthly?from=2026-13&to=2026-01', { key: viewer })).status).toBe(
      400,
    );
    expect((await call('GET', '/v1/stats/monthly?from=2026-05&to=2026-01', { key: viewer })).status).toBe(
      400,
    );
    expect((await call('GET', '/v1/reconciliations', { key: viewer })).status).toBe(403);
    for (const q of [
      'from=2024-01&to=2024-13',
      'from=2024-00&to=2024-02',
      'from=2024-1&to=2024-02',
      'from=2024-01',
    ]) {
      expect((await call('GET', `/v1/stats/monthly?${q}`, { key: viewer })).status, q).toBe(400);
    }
  });
});

describe('scheduled jobs via npm run job', () => {
  it('close-stale-registrations closes only stale registrations, and a second run closes nothing', async () => {
    const township = await signUp('Stale Township');
    const g = await township.grid();
    const register = async (arrivedOn: string) =>
      (
        await call('POST', '/v1/people', {
          key: township.adminKey,
          body: {
            idNumber: idNumberFor('male', '1980-01-01'),
            name: 'Liu',
            flow: 'inflow',
            gridId: g,
            address: 'A',
            arrivedOn,
            maritalStatus: 'single',
          },
        })
      ).body.personId as string;
    const stale = await register(addDays(today, -121));
    const fresh = await register(addDays(today, -120));
    await eventually(
      () => stats(township.adminKey),
      (r) => r.body.totals.floatingPopulation === 2,
    );

    const first = await job('close-stale-registrations');
    expect(first.reports.find((r: { tenantId: string }) => r.tenantId === township.tenantId)).toMatchObject({
      closed: 1,
    });
    expect((await call('GET', `/v1/people/${stale}`, { key: township.adminKey })).body).toMatchObject({
      status: 'closed',
      version: 2,
    });
    expect((await call('GET', `/v1/people/${fresh}`, { key: township.adminKey })).body.status).toBe('active');
    const history = await call('GET', `/v1/people/${stale}/history`, { key: township.adminKey });
    expect(history.body.items.at(-1)).toMatchObject({
      action: 'closed',
      actor: { keyId: 'system', name: 'close-stale-registrations' },
    });

    const second = await job('close-stale-registrations');
    expect(
      second.reports.find((r: { tenantId: string }) => r.tenantId === township.tenantId),
    ).toBeUndefined();

    const after = await eventually(
      () => stats(township.adminKey),
      (r) => r.body.totals.floatingPopulation === 1,
    );
    expect(after.body.totals.floatingPopulation).toBe(1);
    const month = await call('GET', `/v1/stats/monthly?from=${monthOf(today)}&to=${monthOf(today)}`, {
      key: township.adminKey,
    });
    expect(month.body.months[0]).toMatchObject({ closedStale: 1, departed: 0, writeOffRate: 0 });
  });

  it('reconcile-counters finds and repairs injected drift and records the run', async () => {
    const township = await signUp('Drift Township');
    const g = await township.grid();
    await call('POST', '/v1/people', {
      key: township.adminKey,
      body: {
        idNumber: idNumberFor('female', '1990-01-01'),
        name: 'Sun',
        flow: 'outflow',
        gridId: g,
        address: 'B',
        arrivedOn: today,
        maritalStatus: 'married',
      },
    });
    await eventually(
      () => stats(township.adminKey),
      (r) => r.body.totals.outflow === 1,
    );

    // Corrupt the counters behind the platform's back.
    const db = DynamoDBDocumentClient.from(localDynamoClient(`http://127.0.0.1:${inject('dynamoPort')}`));
    await db.send(
      new UpdateCommand({
        TableName: registryTable.name,
        Key: statisticsKeys.counterItem(township, { module: 'people', gridId: g, kind: 'gauge', bucket: '' }),
        UpdateExpression: 'ADD #f :n',
        ExpressionAttributeNames: { '#f': 'flow|outflow' },
        ExpressionAttributeValues: { ':n': 5 },
      }),
    );
    expect((await stats(township.adminKey)).body.totals.outflow).toBe(6);

    const result = await job('reconcile-counters', { settleMs: 300 });
    const mine = result.tenants.find((t: { tenantId: string }) => t.tenantId === township.tenantId);
    expect(mine.run).toMatchObject({
      driftFound: 1,
      driftRepaired: 1,
      recordsRead: expect.any(Number),
      countersChecked: expect.any(Number),
    });
    expect((await stats(township.adminKey)).body.totals.outflow).toBe(1);

    const runs = await call('GET', '/v1/reconciliations', { key: township.adminKey });
    expect(runs.status).toBe(200);
    expect(runs.body.items[0]).toMatchObject({
      runId: mine.run.runId,
      driftFound: 1,
      driftRepaired: 1,
      finishedAt: expect.any(String),
    });

    const again = await job('reconcile-counters', { settleMs: 300 });
    expect(
      again.tenants.find((t: { tenantId: string }) => t.tenantId === township.tenantId).run.driftFound,
    ).toBe(0);
    expect((await call('GET', '/v1/reconciliations', { key: township.adminKey })).body.items).toHaveLength(2);
    const page1 = await call('GET', '/v1/reconciliations?limit=1', { key: township.adminKey });
    expect(page1.body.items.map((r: { runId: string }) => r.runId)).toEqual([
      again.tenants.find((t: { tenantId: string }) => t.tenantId === township.tenantId).run.runId,
    ]);
    const page2 = await call(
      'GET',
      `/v1/reconciliations?limit=1&cursor=${encodeURIComponent(page1.body.nextCursor)}`,
      {
        key: township.adminKey,
      },
    );
    expect(page2.body.items.map((r: { runId: string }) => r.runId)).toEqual([mine.run.runId]);
    expect(page2.body.nextCursor).toBeNull();
  });
});
