import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HttpHost } from '../../../infra/local/http-host.js';
import { findRoute, routes } from '../../../shared/app/index.js';
import { houseGaugeRef } from '../../../shared/modules/housing/counters.js';
import { housingIndexKeys, housingKeys } from '../../../shared/modules/housing/keys.js';
import { counterRepository } from '../../../shared/modules/statistics/repository/counters.js';
import { documentClient, dynamoClient, registryTableName } from '../../../shared/platform/table/client.js';
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

let landlordId: string;
let plaques = 0;
const houseBody = (over: Record<string, unknown> = {}) => ({
  gridId: grid,
  status: 'registered',
  address: { estate: 'Budget Estate', building: '1' },
  plaque: `BUDGET-${process.pid}-${plaques++}`,
  houseType: 'suite',
  use: 'dwelling',
  lettingMode: 'whole',
  managementClass: 'B',
  landlordId,
  registeredOn: '2026-01-05',
  maxOccupants: 3,
  // a contact's phone: every answer showing it raw to the admin writes its access entry
  caretaker: { name: 'Budget Caretaker', phone: '13900000000' },
  ...over,
});
const newHouse = async (over: Record<string, unknown> = {}): Promise<string> => {
  const answer = await call('POST', '/v1/houses', { key: admin, body: houseBody(over) });
  if (answer.status !== 201) throw new Error(JSON.stringify(answer.body));
  return answer.body.houseId as string;
};
const houseIn = async (path: string, body: unknown) => {
  const houseId = await newHouse();
  const answer = await call('POST', `/v1/houses/${houseId}/${path}`, { key: admin, body });
  if (answer.status !== 200) throw new Error(JSON.stringify(answer.body));
  return houseId;
};
let landlordSerial = 0;
const landlordBody = () => ({
  kind: 'individual',
  name: 'Budget Landlord',
  idNumber: idNumberFor('male', `1970-02-${String((landlordSerial++ % 28) + 1).padStart(2, '0')}`),
  phone: '13800000000',
  address: 'Landlord Street 1',
});

/** What a house scenario needs before each call (not counted): a house in the right state. */
const housePreparation: Record<string, () => Promise<string>> = {
  'GET /v1/houses/{houseId}': () => newHouse(),
  'PATCH /v1/houses/{houseId}': () => newHouse(),
  'POST /v1/houses/{houseId}/registration': () =>
    newHouse({ status: 'discovered', landlordId: null, registeredOn: undefined }),
  'POST /v1/houses/{houseId}/ban': () => newHouse(),
  'POST /v1/houses/{houseId}/lift': () =>
    houseIn('ban', { reason: 'illegal rental', basis: 'rule 7', bannedOn: '2026-02-01' }),
  'POST /v1/houses/{houseId}/closure': () => newHouse(),
  'POST /v1/houses/{houseId}/reopening': () =>
    houseIn('closure', { reason: 'letting-stopped', closedOn: '2026-02-01' }),
  'POST /v1/houses/{houseId}/inspections': () => newHouse(),
  'GET /v1/houses/{houseId}/history': () => newHouse(),
  'GET /v1/houses/{houseId}/access-log': () => newHouse(),
};

/** A letter on a fresh house (docs/housing.md, "Letter"), and what a letter scenario needs first. */
const letterBody = (houseId: string) => ({
  kind: 'security-responsibility',
  party: { kind: 'landlord', landlordId },
  houseId,
  signedOn: '2026-01-05',
  validFrom: '2026-01-05',
  validUntil: '2027-01-04',
});
const newLetter = async (): Promise<string> => {
  const answer = await call('POST', '/v1/letters', { key: admin, body: letterBody(await newHouse()) });
  if (answer.status !== 201) throw new Error(JSON.stringify(answer.body));
  return answer.body.letterId as string;
};
const letterPreparation: Record<string, () => Promise<string>> = {
  'POST /v1/letters': () => newHouse(),
  'POST /v1/letters/batch': () => newHouse(),
  'GET /v1/letters/{letterId}': newLetter,
  'POST /v1/letters/{letterId}/revocation': newLetter,
  'GET /v1/letters/{letterId}/history': newLetter,
};

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
  // housing: houses and landlords
  'POST /v1/houses': () => call('POST', '/v1/houses', { key: admin, body: houseBody() }),
  'POST /v1/houses/batch': () =>
    call('POST', '/v1/houses/batch', { key: admin, body: { items: [houseBody()] } }),
  'GET /v1/houses': () => call('GET', `/v1/houses?gridId=${grid}&limit=5`, { key: admin }),
  'GET /v1/houses/banned-occupied': () => call('GET', '/v1/houses/banned-occupied?limit=5', { key: admin }),
  'GET /v1/houses/lapsed-letters': () => call('GET', '/v1/houses/lapsed-letters?limit=5', { key: admin }),
  'GET /v1/houses/{houseId}': () => call('GET', `/v1/houses/${ready.house()}`, { key: admin }),
  'PATCH /v1/houses/{houseId}': () =>
    call('PATCH', `/v1/houses/${ready.house()}`, { key: admin, body: { maxOccupants: 5 } }),
  'POST /v1/houses/{houseId}/registration': () =>
    call('POST', `/v1/houses/${ready.house()}/registration`, { key: admin, body: { landlordId } }),
  'POST /v1/houses/{houseId}/ban': () =>
    call('POST', `/v1/houses/${ready.house()}/ban`, {
      key: admin,
      body: { reason: 'illegal rental', basis: 'rule 7', bannedOn: '2026-02-01' },
    }),
  'POST /v1/houses/{houseId}/lift': () =>
    call('POST', `/v1/houses/${ready.house()}/lift`, { key: admin, body: { liftedOn: '2026-02-02' } }),
  'POST /v1/houses/{houseId}/closure': () =>
    call('POST', `/v1/houses/${ready.house()}/closure`, {
      key: admin,
      body: { reason: 'letting-stopped', closedOn: '2026-02-01' },
    }),
  'POST /v1/houses/{houseId}/reopening': () =>
    call('POST', `/v1/houses/${ready.house()}/reopening`, {
      key: admin,
      body: { registeredOn: '2026-02-02' },
    }),
  'POST /v1/houses/{houseId}/inspections': () =>
    call('POST', `/v1/houses/${ready.house()}/inspections`, {
      key: admin,
      body: { inspectedOn: '2026-02-01', findings: 'fire exits clear' },
    }),
  'GET /v1/houses/{houseId}/history': () =>
    call('GET', `/v1/houses/${ready.house()}/history`, { key: admin }),
  'GET /v1/houses/{houseId}/access-log': () =>
    call('GET', `/v1/houses/${ready.house()}/access-log`, { key: admin }),
  'POST /v1/landlords': () => call('POST', '/v1/landlords', { key: admin, body: landlordBody() }),
  'GET /v1/landlords': () => call('GET', '/v1/landlords?limit=5', { key: admin }),
  'GET /v1/landlords/{landlordId}': () => call('GET', `/v1/landlords/${landlordId}`, { key: admin }),
  'PATCH /v1/landlords/{landlordId}': () =>
    call('PATCH', `/v1/landlords/${landlordId}`, { key: admin, body: { address: `Street ${plaques++}` } }),
  'GET /v1/landlords/{landlordId}/houses': () =>
    call('GET', `/v1/landlords/${landlordId}/houses?limit=5`, { key: admin }),
  'GET /v1/landlords/{landlordId}/history': () =>
    call('GET', `/v1/landlords/${landlordId}/history`, { key: admin }),
  'GET /v1/landlords/{landlordId}/access-log': () =>
    call('GET', `/v1/landlords/${landlordId}/access-log`, { key: admin }),
  // housing: letters (the house or letter each needs is made beforehand, not counted)
  'POST /v1/letters': () => call('POST', '/v1/letters', { key: admin, body: letterBody(ready.ofLetters()) }),
  'POST /v1/letters/batch': () =>
    call('POST', '/v1/letters/batch', { key: admin, body: { items: [letterBody(ready.ofLetters())] } }),
  'GET /v1/letters': () => call('GET', '/v1/letters?limit=5', { key: admin }),
  'GET /v1/letters/expiring': () => call('GET', '/v1/letters/expiring?limit=5', { key: admin }),
  'GET /v1/letters/{letterId}': () => call('GET', `/v1/letters/${ready.ofLetters()}`, { key: admin }),
  'POST /v1/letters/{letterId}/revocation': () =>
    call('POST', `/v1/letters/${ready.ofLetters()}/revocation`, {
      key: admin,
      body: { reason: 'signed in error' },
    }),
  'GET /v1/letters/{letterId}/history': () =>
    call('GET', `/v1/letters/${ready.ofLetters()}/history`, { key: admin }),
};

/** Setup that a scenario needs but must not count (a fresh person, registered beforehand). */
const ready = {
  /** Houses or letters a letters scenario works on (letterPreparation). */
  letters: [] as string[],
  ofLetters(): string {
    const id = ready.letters.shift();
    if (!id) throw new Error('scenario needs a house or letter: letterPreparation makes one');
    return id;
  },
  houses: [] as string[],
  house(): string {
    const id = ready.houses.shift();
    if (!id) throw new Error('scenario needs a house: housePreparation makes one');
    return id;
  },
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
  const prepareHouse = housePreparation[routeKey];
  if (prepareHouse) ready.houses.push(await prepareHouse());
  const prepareLetter = letterPreparation[routeKey];
  if (prepareLetter) ready.letters.push(await prepareLetter());
  await scenario(); // warm: the first call may fill the authorizer cache or reserve a card block
  if (routeKey.includes('{personId}')) ready.pending.push((await register()).personId as string);
  if (prepareHouse) ready.houses.push(await prepareHouse());
  if (prepareLetter) ready.letters.push(await prepareLetter());
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
  // A budget is what a warm function spends: each scenario's warm call fills the caches that
  // expire by the clock (the authorizer's answer, a township's housing settings: 30 s). The clock
  // stands still for the run, so a slow machine cannot let one expire between a warm call and
  // its measured one (seen twice: the authorizer's or the settings' GetItems counted against the
  // route). Only Date is faked; timers run.
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
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
  // housing: a landlord with houses; a banned house people live in (per the counters, written
  // here as the stream would); a house whose security letter lapsed (as the letters job marks it)
  landlordId = (await call('POST', '/v1/landlords', { key: admin, body: landlordBody() })).body
    .landlordId as string;
  for (let i = 0; i < 3; i++) await newHouse();
  const banned = await houseIn('ban', { reason: 'illegal rental', basis: 'rule 7', bannedOn: '2026-02-01' });
  await counterRepository({ tenantId }).repair(
    houseGaugeRef(grid, banned),
    new Map([[`occ|${banned}`, 2]]),
    undefined,
  );
  const lapsed = await newHouse();
  await documentClient().send(
    new UpdateCommand({
      TableName: registryTableName(),
      Key: housingKeys.house({ tenantId }, lapsed),
      UpdateExpression: 'SET securityLetterLapsedOn = :on, duePk = :pk, dueSk = :sk',
      ExpressionAttributeValues: {
        ':on': '2026-02-01',
        ':pk': housingIndexKeys.housesLapsed({ tenantId }),
        ':sk': housingIndexKeys.houseLapsedSk('2026-02-01', lapsed),
      },
    }),
  );
}, 60_000);

const measured = new Map<string, string[]>();

afterAll(async () => {
  vi.useRealTimers();
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
