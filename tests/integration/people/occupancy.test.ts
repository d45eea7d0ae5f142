import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handler as peopleHandler } from '../../../functions/http/people.js';
import { lambdaContext } from '../../../infra/local/handlers.js';
import { peopleIndexKeys } from '../../../shared/modules/people/keys.js';
import { personRepository } from '../../../shared/modules/people/repository.js';
import { type Principal, toAuthorizerContext } from '../../../shared/platform/access/principal.js';
import { mintId } from '../../../shared/platform/ids.js';
import { documentClient, registryTableName } from '../../../shared/platform/table/client.js';
import { idNumberFor } from '../../support/people.js';
import { countDynamoRequests } from '../budget/counting.js';
import { testDynamoClient } from '../support/dynamo.js';
import { world } from '../support/world.js';
import { putHouse, putLetter } from './houses.js';

/**
 * Occupancy, the people side (docs/housing.md): the house a person names is checked inside the
 * write's own transaction — a refused house writes nothing — and a house's occupants are listed
 * from the byParent index, following registration, moves and write-offs.
 */
type World = Awaited<ReturnType<typeof world>>;
let w: World;
let gridA: string;
let gridB: string;
const counter = countDynamoRequests();

beforeAll(async () => {
  w = await world('occupancy', 2);
  [gridA, gridB] = w.grids as [string, string];
});

interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
  body: any;
}

/** One request to the people function, as API Gateway hands it over (authorizer context and all). */
async function send(
  routeKey: string,
  options: {
    as?: Principal;
    body?: unknown;
    path?: string;
    params?: Record<string, string>;
    query?: Record<string, string>;
  } = {},
): Promise<Answer> {
  const [method, path] = routeKey.split(' ') as [string, string];
  const rawPath = options.path ?? path;
  const event = {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: options.body ? { 'content-type': 'application/json' } : {},
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.params ? { pathParameters: options.params } : {}),
    requestContext: {
      accountId: '0',
      apiId: 'test',
      domainName: 'test',
      domainPrefix: 'test',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: `req-${mintId('r')}`,
      routeKey,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      authorizer: { lambda: toAuthorizerContext(options.as ?? w.principal) },
    },
    ...(options.body ? { body: JSON.stringify(options.body) } : {}),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  const res = (await peopleHandler(event, lambdaContext('people'))) as APIGatewayProxyStructuredResultV2;
  return { status: res.statusCode ?? 0, body: res.body ? JSON.parse(res.body) : undefined };
}

let n = 0;
const arrival = (over: Record<string, unknown> = {}) => ({
  idNumber: idNumberFor(n % 2 ? 'male' : 'female', `1985-02-${String((n++ % 28) + 1).padStart(2, '0')}`),
  name: 'Occupant',
  flow: 'inflow',
  gridId: gridA,
  address: 'Building 1',
  arrivedOn: w.today,
  maritalStatus: 'single',
  ...over,
});

const registerArrival = async (over: Record<string, unknown> = {}) => {
  const res = await send('POST /v1/people', { body: arrival(over) });
  if (res.status !== 201) throw new Error(`registration ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as {
    personId: string;
    idNumber: string;
    houseId: string | null;
    version: number;
    gridId: string;
  };
};

const patch = (personId: string, body: unknown) =>
  send('PATCH /v1/people/{personId}', { body, path: `/v1/people/${personId}`, params: { personId } });
const verifyMoved = (personId: string, body: Record<string, unknown>) =>
  send('POST /v1/people/{personId}/verifications', {
    body: { verifiedOn: w.today, outcome: 'moved', ...body },
    path: `/v1/people/${personId}/verifications`,
    params: { personId },
  });
const occupants = async (houseId: string, as?: Principal, more: Record<string, string> = {}) =>
  send('GET /v1/people', { query: { houseId, ...more }, ...(as ? { as } : {}) });
const occupantIds = async (houseId: string) => {
  const res = await occupants(houseId);
  expect(res.status).toBe(200);
  return (res.body.items as { personId: string }[]).map((p) => p.personId).sort();
};

/** Every key in the table: a refused write must leave exactly the same set behind. */
async function allKeys(): Promise<string[]> {
  const keys: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await testDynamoClient().send(
      new ScanCommand({
        TableName: w.tables.registry,
        ProjectionExpression: 'pk, sk',
        ...(start ? { ExclusiveStartKey: start as never } : {}),
      }),
    );
    for (const it of out.Items ?? []) keys.push(`${it.pk?.S} ${it.sk?.S}`);
    start = out.LastEvaluatedKey;
  } while (start);
  return keys.sort();
}

const principalOf = (over: Partial<Principal>): Principal => ({ ...w.principal, ...over });

describe('registering into a house: one transaction', () => {
  beforeEach(async () => {
    await registerArrival(); // the card-number block is reserved: a warm instance
  });

  it.each(['discovered', 'registered'] as const)(
    'a %s house takes the person, in ONE DynamoDB request',
    async (status) => {
      const houseId = await putHouse(w.principal, { gridId: gridA, status });
      counter.reset();
      const person = await registerArrival({ houseId });
      expect(counter.commands).toEqual(['TransactWriteItemsCommand']);
      expect(person.houseId).toBe(houseId);
      const history = await personRepository(w.principal).history(person.personId);
      expect(history.map((h) => h.action)).toEqual(['registered']);
    },
  );

  it('a batch item names a house too, and each item is refused or registered on its own', async () => {
    const open = await putHouse(w.principal, { gridId: gridA, status: 'registered' });
    const banned = await putHouse(w.principal, { gridId: gridA, status: 'banned' });
    const res = await send('POST /v1/people/batch', {
      body: {
        items: [
          arrival({ houseId: open }),
          arrival({ houseId: banned }),
          arrival({ houseId: mintId('h') }),
          arrival({ gridId: gridB, houseId: open }),
        ],
      },
    });
    expect(res.status).toBe(200);
    const results = res.body.results as {
      status: number;
      person?: { houseId: string };
      errors?: unknown[];
    }[];
    expect(results.map((r) => r.status)).toEqual([201, 409, 422, 422]);
    expect(results[0]?.person?.houseId).toBe(open);
    expect(results[1]?.errors).toEqual([{ path: '', message: expect.stringContaining('banned') }]);
    expect(results[2]?.errors).toEqual([{ path: 'houseId', message: 'no such house in this township' }]);
    expect(results[3]?.errors).toEqual([
      { path: 'houseId', message: `the house is in grid ${gridA}; register the person in that grid` },
    ]);
  });

  it.each(['banned', 'closed'] as const)(
    'a %s house refuses with 409 house-not-open and writes nothing',
    async (status) => {
      const houseId = await putHouse(w.principal, { gridId: gridA, status });
      const before = await allKeys();
      counter.reset();
      const res = await send('POST /v1/people', { body: arrival({ houseId }) });
      expect(counter.commands).toEqual(['TransactWriteItemsCommand']);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        type: 'https://township-registry.example/problems/house-not-open',
        title: 'Conflict',
        status: 409,
        houseId,
        houseStatus: status,
      });
      expect(await allKeys()).toEqual(before); // no person, no ID-number guard, no history, no access entry
    },
  );

  it('an unknown house (or another tenant’s) is 422 on houseId and writes nothing', async () => {
    const other = await world('occupancy-other', 1, { tables: w.tables });
    const theirs = await putHouse(other.principal, {
      gridId: other.grids[0] as string,
      status: 'registered',
    });
    for (const houseId of [mintId('h'), theirs]) {
      const before = await allKeys();
      const res = await send('POST /v1/people', { body: arrival({ houseId }) });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        type: 'https://township-registry.example/problems/unprocessable-content',
        title: 'Unprocessable Content',
        errors: [{ path: 'houseId', message: 'no such house in this township' }],
      });
      expect(await allKeys()).toEqual(before);
    }
  });

  it('a house of another grid is 422 on houseId naming its grid, and writes nothing', async () => {
    const houseId = await putHouse(w.principal, { gridId: gridB, status: 'registered' });
    const before = await allKeys();
    const res = await send('POST /v1/people', { body: arrival({ gridId: gridA, houseId }) });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { path: 'houseId', message: `the house is in grid ${gridB}; register the person in that grid` },
    ]);
    expect(await allKeys()).toEqual(before);
  });

  it('an unknown grid is still named first (400 on gridId), whatever the house', async () => {
    const houseId = await putHouse(w.principal, { gridId: gridA, status: 'banned' });
    const res = await send('POST /v1/people', { body: arrival({ gridId: mintId('g'), houseId }) });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'gridId', message: 'no such grid in this township' }]);
  });
});

describe('changing the house: the change keeps its two requests', () => {
  it('PATCH into an open house: a read and one transaction; the history names houseId', async () => {
    const p = await registerArrival();
    const houseId = await putHouse(w.principal, { gridId: gridA, status: 'registered' });
    counter.reset();
    const res = await patch(p.personId, { houseId });
    expect(counter.commands).toEqual(['GetItemCommand', 'TransactWriteItemsCommand']);
    expect(res.status).toBe(200);
    expect(res.body.houseId).toBe(houseId);
    const history = await personRepository(w.principal).history(p.personId);
    expect(history.at(-1)).toMatchObject({ action: 'updated', changedFields: ['houseId'] });
  });

  it.each(['banned', 'closed'] as const)(
    'PATCH into a %s house is 409 and writes nothing',
    async (status) => {
      const p = await registerArrival();
      const houseId = await putHouse(w.principal, { gridId: gridA, status });
      const before = await allKeys();
      const res = await patch(p.personId, { houseId });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        type: 'https://township-registry.example/problems/house-not-open',
        houseId,
        houseStatus: status,
      });
      expect(await allKeys()).toEqual(before);
      expect((await personRepository(w.principal).get(p.personId))?.version).toBe(p.version);
    },
  );

  it('PATCH to another grid naming the old house is 422 (a house never moves grids); without it the house is left', async () => {
    const houseId = await putHouse(w.principal, { gridId: gridA, status: 'registered' });
    const p = await registerArrival({ houseId });
    const refused = await patch(p.personId, { gridId: gridB, houseId });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      { path: 'houseId', message: `the house is in grid ${gridA}; register the person in that grid` },
    ]);
    const moved = await patch(p.personId, { gridId: gridB });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ gridId: gridB, houseId: null });
    const history = await personRepository(w.principal).history(p.personId);
    expect([...(history.at(-1)?.changedFields ?? [])].sort()).toEqual(['gridId', 'houseId']);
  });

  it('staying in a house that was banned since is no refusal (only moving in is checked)', async () => {
    const houseId = await putHouse(w.principal, { gridId: gridA, status: 'registered' });
    const p = await registerArrival({ houseId });
    await putHouse(w.principal, { gridId: gridA, status: 'banned', houseId });
    const res = await patch(p.personId, { address: 'Room 7' });
    expect(res.status).toBe(200);
    expect(res.body.houseId).toBe(houseId);
  });

  it('a moved verification may name a house; present may not (400 on houseId)', async () => {
    const p = await registerArrival();
    const houseId = await putHouse(w.principal, { gridId: gridB, status: 'discovered' });
    const present = await send('POST /v1/people/{personId}/verifications', {
      body: { verifiedOn: w.today, outcome: 'present', houseId },
      path: `/v1/people/${p.personId}/verifications`,
      params: { personId: p.personId },
    });
    expect(present.status).toBe(400);
    expect(present.body.errors).toEqual([
      { path: 'houseId', message: 'only a "moved" verification changes the house' },
    ]);
    const wrongGrid = await verifyMoved(p.personId, { houseId });
    expect(wrongGrid.status).toBe(422);
    const moved = await verifyMoved(p.personId, { gridId: gridB, houseId });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ gridId: gridB, houseId });
  });
});

describe('a house’s occupants (GET /v1/people?houseId=)', () => {
  it('follow registration, moves, clearing, write-off and moved verifications', async () => {
    const h1 = await putHouse(w.principal, { gridId: gridA, status: 'registered' });
    const h2 = await putHouse(w.principal, { gridId: gridA, status: 'registered' });
    const hB = await putHouse(w.principal, { gridId: gridB, status: 'registered' });
    const a = await registerArrival({ houseId: h1 });
    const b = await registerArrival({ houseId: h1 });
    const c = await registerArrival({ houseId: h2 });
    const d = await registerArrival();
    expect(await occupantIds(h1)).toEqual([a.personId, b.personId].sort());
    expect(await occupantIds(h2)).toEqual([c.personId]);

    // b moves grid: leaves h1; c moves from h2 to h1 by PATCH; d moves into h1 by a verification
    expect((await patch(b.personId, { gridId: gridB })).status).toBe(200);
    expect((await patch(c.personId, { houseId: h1 })).status).toBe(200);
    expect((await verifyMoved(d.personId, { houseId: h1 })).status).toBe(200);
    expect(await occupantIds(h1)).toEqual([a.personId, c.personId, d.personId].sort());
    expect(await occupantIds(h2)).toEqual([]);

    // a clears the house; c is written off; b moves into hB (another grid) by a verification
    expect((await patch(a.personId, { houseId: null })).status).toBe(200);
    const written = await send('POST /v1/people/{personId}/departure', {
      body: { departedOn: w.today, reason: 'left' },
      path: `/v1/people/${c.personId}/departure`,
      params: { personId: c.personId },
    });
    expect(written.status).toBe(200);
    expect(written.body.houseId).toBe(h1); // the record keeps where they lived
    expect((await verifyMoved(b.personId, { houseId: hB })).status).toBe(200);
    expect(await occupantIds(h1)).toEqual([d.personId]);
    expect(await occupantIds(hB)).toEqual([b.personId]);
  });

  it('a page is one Query and one BatchGet (plus the access log); cursors are stable and bound to the house', async () => {
    const houseId = await putHouse(w.principal, { gridId: gridA, status: 'registered' });
    const people = [];
    for (let i = 0; i < 5; i++) people.push(await registerArrival({ houseId }));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      counter.reset();
      const res = await occupants(houseId, undefined, { limit: '2', ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      // the page, its people, and the access log of the raw identifiers an admin sees
      expect(counter.commands).toEqual(['QueryCommand', 'BatchGetItemCommand', 'BatchWriteItemCommand']);
      seen.push(...res.body.items.map((p: { personId: string }) => p.personId));
      cursor = res.body.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(seen).toEqual(people.map((p) => p.personId).sort());
    expect(pages).toBe(3);

    const first = await occupants(houseId, undefined, { limit: '2' });
    const other = await putHouse(w.principal, { gridId: gridA, status: 'registered' });
    const foreign = await occupants(other, undefined, { cursor: first.body.nextCursor });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors[0].path).toBe('query.cursor');
  });

  it('are masked like any list, and scoped by grid: 403 out of scope, 404 for an unknown house', async () => {
    const houseId = await putHouse(w.principal, { gridId: gridA, status: 'registered' });
    const p = await registerArrival({ houseId, phone: '13912345678' });
    const viewer = await occupants(houseId, principalOf({ role: 'viewer', keyName: 'Viewer' }));
    expect(viewer.status).toBe(200);
    expect(viewer.body.items).toHaveLength(1);
    expect(viewer.body.items[0].personId).toBe(p.personId);
    expect(viewer.body.items[0].idNumber).not.toBe(p.idNumber);
    expect(viewer.body.items[0].idNumber).toMatch(/\*/);
    expect(viewer.body.items[0].phone).toMatch(/\*/);

    const gridKeyA = principalOf({ role: 'grid', keyName: 'A', gridIds: [gridA] });
    const inScope = await occupants(houseId, gridKeyA);
    expect(inScope.body.items.map((x: { personId: string }) => x.personId)).toEqual([p.personId]);
    expect(inScope.body.items[0].idNumber).toMatch(/\*/); // grid keys see identifiers on a record, not in lists

    const gridKeyB = principalOf({ role: 'grid', keyName: 'B', gridIds: [gridB] });
    expect((await occupants(houseId, gridKeyB)).status).toBe(403);
    expect((await occupants(mintId('h'))).status).toBe(404);
    // an empty house is an empty list: the page's Query, then the house is read
    const empty = await putHouse(w.principal, { gridId: gridA, status: 'discovered' });
    counter.reset();
    expect((await occupants(empty)).body).toEqual({ items: [], nextCursor: null });
    expect(counter.commands).toEqual(['QueryCommand', 'GetItemCommand']);
  });

  it('combines with status=active only, and with neither gridId nor idNumber (400)', async () => {
    const houseId = await putHouse(w.principal, { gridId: gridA, status: 'registered' });
    const p = await registerArrival({ houseId });
    const active = await occupants(houseId, undefined, { status: 'active' });
    expect(active.body.items.map((x: { personId: string }) => x.personId)).toEqual([p.personId]);
    const departed = await occupants(houseId, undefined, { status: 'departed' });
    expect(departed.status).toBe(400);
    expect(departed.body.errors[0].path).toBe('query.status');
    const extras: Record<string, string>[] = [{ gridId: gridA }, { idNumber: arrival().idNumber }];
    for (const extra of extras) {
      const res = await occupants(houseId, undefined, extra);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].path).toBe('query.houseId');
    }
  });
});

describe('lists of people never show houses, letters or anything else of a grid', () => {
  it('the grid list and the grid-status list are bounded to PERSON#', async () => {
    const own = await world('occupancy-bound', 1, { tables: w.tables });
    const grid = own.grids[0] as string;
    const houseId = await putHouse(own.principal, { gridId: grid, status: 'registered' });
    await putLetter(own.principal, { gridId: grid, houseId });
    // anything a later module may add to a grid's partition that sorts after the people
    await documentClient().send(
      new PutCommand({
        TableName: registryTableName(),
        Item: {
          pk: `TENANT#${own.principal.tenantId}#OTHER#x`,
          sk: 'OTHER',
          entity: 'other',
          gridId: grid,
          status: 'active',
          gridPk: peopleIndexKeys.byGrid(own.principal, grid),
          gridSk: 'ZZZ#after-the-people',
          gridStatusPk: peopleIndexKeys.byGridStatus(own.principal, grid, 'active'),
        },
      }),
    );
    const person = await own.registerPerson({ gridId: grid, houseId });
    const repo = personRepository(own.principal);
    for (const status of [undefined, 'active']) {
      const page = await repo.pageOfGrid({ gridId: grid, limit: 10, ...(status ? { status } : {}) });
      expect(page.people.map((p) => p.personId)).toEqual([person.personId]);
      expect(page.more).toBe(false);
      // page by page, too: the cursor of the last person ends the list
      const first = await repo.pageOfGrid({ gridId: grid, limit: 1, ...(status ? { status } : {}) });
      expect(first.people.map((p) => p.personId)).toEqual([person.personId]);
      if (first.more && first.lastSk) {
        const next = await repo.pageOfGrid({ gridId: grid, limit: 1, afterSk: first.lastSk });
        expect(next.people).toEqual([]);
      }
    }
    const res = await send('GET /v1/people', { as: own.principal, query: { gridId: grid } });
    expect(res.body.items.map((p: { personId: string }) => p.personId)).toEqual([person.personId]);
  });
});
