import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpHost } from '../../../infra/local/http-host.js';
import { findRoute, routes } from '../../../shared/app/index.js';
import { dynamoClient, registryTableName } from '../../../shared/platform/table/client.js';
import { idNumberFor } from '../../support/people.js';
import { createTestTables } from '../support/dynamo.js';
import { countDynamoRequests, overBudget } from './counting.js';

process.env.DEPLOYMENT_SECRET ??= 'integration-test-secret';

/**
 * THE REQUEST BUDGET: every route of the route table, called on a warm local host (the
 * authorizer's answer cached, the card-number block reserved), makes at most the DynamoDB
 * requests its declaration's `budget` allows. A route without a scenario here fails, so a new
 * route cannot skip its budget. Counts are deterministic: this is a test, not a benchmark.
 */
let host: HttpHost;
let base: string;
const counter = countDynamoRequests();

interface Answer {
  status: number;
  body: Record<string, unknown> & { [k: string]: unknown };
}

async function call(
  method: string,
  path: string,
  options: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}

let admin: string;
let tenantId: string;
let adminKeyId: string;
let grid: string;
let otherGrid: string;
let spareKeyId: string;
let n = 0;
const arrival = (over: Record<string, unknown> = {}) => ({
  idNumber: idNumberFor('female', `1990-01-${String((n++ % 28) + 1).padStart(2, '0')}`),
  name: 'Budget',
  flow: 'inflow',
  gridId: grid,
  address: 'Building 1',
  arrivedOn: '2026-01-05',
  maritalStatus: 'married',
  ...over,
});
const register = async () => (await call('POST', '/v1/people', { key: admin, body: arrival() })).body;

/** A representative successful call of each route (keyed by route key), and its expected status. */
const scenarios: Record<string, () => Promise<Answer>> = {
  'GET /v1/health': () => call('GET', '/v1/health'),
  'GET /v1/openapi.json': () => call('GET', '/v1/openapi.json'),
  'POST /v1/signup': () =>
    call('POST', '/v1/signup', { body: { townshipName: 'B', adminName: 'A', adminEmail: 'a@example.cn' } }),
  'GET /v1/tenant': () => call('GET', '/v1/tenant', { key: admin }),
  'GET /v1/me': () => call('GET', '/v1/me', { key: admin }),
  'GET /v1/people/due': () => call('GET', `/v1/people/due?gridId=${grid}`, { key: admin }),
  'PATCH /v1/tenant/settings': () =>
    call('PATCH', '/v1/tenant/settings', { key: admin, body: { staleAfterDays: 121 } }),
  'POST /v1/api-keys': () =>
    call('POST', '/v1/api-keys', { key: admin, body: { name: 'g', role: 'grid', gridIds: [grid] } }),
  'GET /v1/api-keys': () => call('GET', '/v1/api-keys', { key: admin }),
  'DELETE /v1/api-keys/{keyId}': () => call('DELETE', `/v1/api-keys/${spareKeyId}`, { key: admin }),
  'POST /v1/api-keys/{keyId}/rotation': () =>
    call('POST', `/v1/api-keys/${spareKeyId}/rotation`, { key: admin, body: { overlapMinutes: 5 } }),
  'POST /v1/grids': () => call('POST', '/v1/grids', { key: admin, body: { name: 'G', community: 'C' } }),
  'GET /v1/grids': () => call('GET', '/v1/grids', { key: admin }),
  'GET /v1/grids/{gridId}': () => call('GET', `/v1/grids/${grid}`, { key: admin }),
  'POST /v1/people': () => call('POST', '/v1/people', { key: admin, body: arrival() }),
  'GET /v1/people': () => call('GET', `/v1/people?gridId=${grid}&limit=5`, { key: admin }),
  'POST /v1/people/batch': () =>
    call('POST', '/v1/people/batch', { key: admin, body: { items: [arrival()] } }),
  'GET /v1/people/{personId}': async () => call('GET', `/v1/people/${await ready.person()}`, { key: admin }),
  'PATCH /v1/people/{personId}': async () =>
    call('PATCH', `/v1/people/${await ready.person()}`, { key: admin, body: { address: 'Building 2' } }),
  'POST /v1/people/{personId}/verifications': async () =>
    call('POST', `/v1/people/${await ready.person()}/verifications`, {
      key: admin,
      body: { verifiedOn: '2026-02-01', outcome: 'moved', gridId: otherGrid },
    }),
  'POST /v1/people/{personId}/departure': async () =>
    call('POST', `/v1/people/${await ready.person()}/departure`, {
      key: admin,
      body: { departedOn: '2026-02-02', reason: 'left' },
    }),
  'GET /v1/people/{personId}/access-log': async () =>
    call('GET', `/v1/people/${await ready.person()}/access-log`, { key: admin }),
  'GET /v1/api-keys/{keyId}/access-log': () =>
    call('GET', `/v1/api-keys/${adminKeyId}/access-log`, { key: admin }),
  'GET /v1/people/{personId}/history': async () =>
    call('GET', `/v1/people/${await ready.person()}/history`, { key: admin }),
  'GET /v1/stats': () => call('GET', '/v1/stats', { key: admin }),
  'GET /v1/stats/monthly': () =>
    call('GET', `/v1/stats/monthly?from=2025-01&to=2026-12&gridId=${grid}`, { key: admin }),
  'GET /v1/grids/{gridId}/stats': () => call('GET', `/v1/grids/${grid}/stats`, { key: admin }),
  'GET /v1/reconciliations': () => call('GET', '/v1/reconciliations', { key: admin }),
};

/** Setup that a scenario needs but must not count (a fresh person, registered beforehand). */
const ready = {
  pending: [] as string[],
  async person(): Promise<string> {
    const id = ready.pending.shift();
    if (!id) throw new Error('scenario needs a person: prepare() registers one');
    return id;
  },
};

/** Run one route's scenario on the warm host and return the DynamoDB commands it made. */
async function measure(routeKey: string): Promise<{ answer: Answer; commands: string[] }> {
  const scenario = scenarios[routeKey];
  if (!scenario) throw new Error(`no budget scenario for ${routeKey}`);
  if (routeKey.includes('{personId}')) ready.pending.push((await register()).personId as string);
  await scenario(); // warm: the first call may fill the authorizer cache or reserve a card block
  if (routeKey.includes('{personId}')) ready.pending.push((await register()).personId as string);
  if (routeKey.startsWith('DELETE /v1/api-keys/') || routeKey.startsWith('POST /v1/api-keys/{keyId}')) {
    spareKeyId = (await call('POST', '/v1/api-keys', { key: admin, body: { name: 's', role: 'viewer' } }))
      .body.keyId as string;
  }
  counter.reset();
  const answer = await scenario();
  return { answer, commands: [...counter.commands] };
}

beforeAll(async () => {
  await createTestTables('budget');
  host = new HttpHost({ port: 0, throttle: false });
  base = `http://127.0.0.1:${await host.start()}`;
  const signup = await call('POST', '/v1/signup', {
    body: { townshipName: 'Budget', adminName: 'A', adminEmail: 'a@example.cn' },
  });
  admin = signup.body.apiKey as string;
  tenantId = signup.body.tenantId as string;
  adminKeyId = signup.body.keyId as string;
  grid = (await call('POST', '/v1/grids', { key: admin, body: { name: 'G1', community: 'C' } })).body
    .gridId as string;
  otherGrid = (await call('POST', '/v1/grids', { key: admin, body: { name: 'G2', community: 'C' } })).body
    .gridId as string;
  spareKeyId = (await call('POST', '/v1/api-keys', { key: admin, body: { name: 's', role: 'viewer' } })).body
    .keyId as string;
}, 60_000);

const measured = new Map<string, string[]>();

afterAll(async () => {
  await host?.stop();
  if (process.env.BUDGET_REPORT)
    for (const [route, commands] of measured)
      console.log(`${route}: ${commands.length} ${commands.join(' ')}`);
});

describe('the request budget', () => {
  it('has a scenario for every route of the route table (a new route cannot skip its budget)', () => {
    expect(Object.keys(scenarios).sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r.budget] as const))(
    '%s stays within %i DynamoDB requests',
    async (routeKey, budget) => {
      const { answer, commands } = await measure(routeKey);
      expect(answer.status, JSON.stringify(answer.body)).toBe(findRoute(routeKey)?.status ?? 200);
      expect(overBudget(routeKey, budget, commands)).toBeUndefined();
      // The counter does see the route's requests (a route with a budget reads or writes something).
      if (budget > 0) expect(commands.length, routeKey).toBeGreaterThan(0);
      measured.set(routeKey, commands);
    },
  );

  it('register with an Idempotency-Key: at most 3 (the idempotency record twice, the transaction)', async () => {
    await register();
    counter.reset();
    const answer = await call('POST', '/v1/people', {
      key: admin,
      body: arrival(),
      headers: { 'idempotency-key': `budget-${Date.now()}` },
    });
    expect(answer.status).toBe(201);
    expect(overBudget('POST /v1/people + Idempotency-Key', 3, counter.commands)).toBeUndefined();
  });

  it('a batch costs its grid list plus one write per item', async () => {
    await register();
    counter.reset();
    const items = Array.from({ length: 10 }, () => arrival());
    const answer = await call('POST', '/v1/people/batch', { key: admin, body: { items } });
    expect((answer.body.results as { status: number }[]).map((r) => r.status)).toEqual(items.map(() => 201));
    expect(
      overBudget('POST /v1/people/batch (10 items)', 1 + items.length, counter.commands),
    ).toBeUndefined();
  });

  it('catches one extra read in registration (negative control)', async () => {
    await register();
    // An extra GetItem slipped in before the registration's transaction.
    const extraRead =
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
      async (args: unknown) => {
        if (context.commandName === 'TransactWriteItemsCommand') {
          await dynamoClient().send(
            new GetItemCommand({
              TableName: registryTableName(),
              Key: { pk: { S: `TENANT#${tenantId}` }, sk: { S: 'TENANT' } },
            }),
          );
        }
        return next(args);
      };
    dynamoClient().middlewareStack.add(extraRead as never, { step: 'initialize', name: 'extraRead' });
    try {
      counter.reset();
      const answer = await call('POST', '/v1/people', { key: admin, body: arrival() });
      expect(answer.status).toBe(201);
      const budget = findRoute('POST /v1/people')?.budget ?? 0;
      expect(overBudget('POST /v1/people', budget, counter.commands)).toMatch(/2 DynamoDB requests/);
    } finally {
      dynamoClient().middlewareStack.remove('extraRead');
    }
  });
});
