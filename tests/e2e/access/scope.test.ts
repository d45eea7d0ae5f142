import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, monthOf, todayIn } from '../../../shared/platform/dates.js';
import { idNumberFor } from '../../support/people.js';
import { type ApiResponse, call, eventually, expectProblem, signUp, type Workspace } from '../support/api.js';

/**
 * Grid scope on every path that spans "all grids in my scope", and on every write that moves a
 * person: a tenant with people in two grids, keys limited to one of them (an office key with
 * gridIds, a grid key). The other grid's people, ID numbers and numbers never appear; a move
 * into it is refused (403) and changes nothing.
 */
const today = todayIn('Asia/Shanghai');
const arrivedOn = addDays(today, -10);
/** Last seen more than verificationCycleDays (90) ago, but not yet stale (120): due for a visit. */
const dueSince = addDays(today, -100);
const months = `from=${monthOf(dueSince)}&to=${monthOf(today)}`;

let ws: Workspace;
let gridA: string;
let gridB: string;
let officeA: string;
let gridKeyA: string;
const inA: { personId: string; idNumber: string }[] = [];
const inB: { personId: string; idNumber: string }[] = [];
const dueA: string[] = [];
const dueB: string[] = [];
/** One ID number registered twice: first in grid B (then written off), now in grid A. */
let both: { idNumber: string; inA: string; inB: string };

function arrival(gridId: string, idNumber: string, overrides: Record<string, unknown> = {}) {
  return {
    idNumber,
    name: 'Liu Yang',
    flow: 'inflow',
    gridId,
    address: 'Building 5, Room 502',
    arrivedOn,
    maritalStatus: 'married',
    phone: '13700001111',
    ...overrides,
  };
}

async function register(gridId: string, idNumber: string, overrides: Record<string, unknown> = {}) {
  const res = await call('POST', '/v1/people', {
    key: ws.adminKey,
    body: arrival(gridId, idNumber, overrides),
  });
  if (res.status !== 201) throw new Error(`register ${res.status} ${res.text}`);
  return { personId: res.body.personId as string, idNumber };
}

/** Every page of a listing (GET /v1/people, or `path`), following nextCursor. */
async function everyPage(
  key: string,
  query: string,
  path = '/v1/people',
): Promise<{ personId: string; gridId: string }[]> {
  const items: { personId: string; gridId: string }[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const after: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const res: ApiResponse<{ items: { personId: string; gridId: string }[]; nextCursor: string | null }> =
      await call('GET', `${path}?${query}${after}`, { key });
    expect(res.status, res.text).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    if (!cursor) return items;
  }
  throw new Error('more than 50 pages');
}

const ids = (items: { personId: string }[]) => items.map((p) => p.personId).sort();

beforeAll(async () => {
  ws = await signUp('Scope Township');
  gridA = await ws.grid('Grid A');
  gridB = await ws.grid('Grid B');
  officeA = await ws.keyOf('office', [gridA]);
  gridKeyA = await ws.keyOf('grid', [gridA]);
  // Interleaved, so a page of the tenant-wide listing always mixes both grids.
  for (let i = 0; i < 4; i++) {
    inA.push(await register(gridA, idNumberFor('female', '1991-02-03')));
    inB.push(await register(gridB, idNumberFor(i % 2 ? 'male' : 'female', '1985-07-08')));
  }
  inB.push(await register(gridB, idNumberFor('female', '1980-01-01'), { flow: 'outflow' }));
  for (let i = 0; i < 2; i++) {
    inA.push(await register(gridA, idNumberFor('male', '1970-04-04'), { arrivedOn: dueSince }));
    dueA.push(inA.at(-1)!.personId);
    inB.push(await register(gridB, idNumberFor('male', '1971-04-04'), { arrivedOn: dueSince }));
    dueB.push(inB.at(-1)!.personId);
  }
  const idNumber = idNumberFor('male', '1975-05-05');
  const first = await register(gridB, idNumber);
  const departed = await call('POST', `/v1/people/${first.personId}/departure`, {
    key: ws.adminKey,
    body: { departedOn: today, reason: 'left' },
  });
  expect(departed.status, departed.text).toBe(200);
  const again = await register(gridA, idNumber);
  both = { idNumber, inA: again.personId, inB: first.personId };
  // The statistics are fed by the stream: wait until the admin sees every registration.
  const settled = await eventually(
    () => call('GET', '/v1/stats', { key: ws.adminKey }),
    (r) => r.body?.totals?.floatingPopulation === inA.length + inB.length + 1,
    10_000,
  );
  expect(settled.body.totals.floatingPopulation).toBe(inA.length + inB.length + 1);
});

describe('listing people without a grid', () => {
  it('shows a scoped key only its grid’s people, on every page, and never the other grid’s numbers', async () => {
    const adminA = await everyPage(ws.adminKey, `gridId=${gridA}&limit=100`);
    const everyone = await everyPage(ws.adminKey, 'limit=100');
    expect(ids(adminA)).toEqual(ids([...inA, { personId: both.inA }]));
    expect(everyone.length).toBeGreaterThan(adminA.length); // the control: grid B is there
    for (const key of [officeA, gridKeyA]) {
      for (const query of ['limit=1', 'limit=3', 'limit=100', 'status=active&limit=2', 'status=departed']) {
        const seen = await everyPage(key, query);
        expect(
          seen.filter((p) => p.gridId !== gridA),
          query,
        ).toEqual([]);
        if (!query.startsWith('status=departed')) expect(ids(seen), query).toEqual(ids(adminA));
        else expect(seen, 'the departed registration is in grid B').toEqual([]);
      }
    }
    const text = (await call('GET', '/v1/people?limit=100', { key: officeA })).text;
    for (const p of inB) {
      expect(text).not.toContain(p.personId);
      expect(text).not.toContain(p.idNumber);
    }
    expect(text).not.toContain(both.inB);
  });
});

describe('the due worklist without a grid', () => {
  it('shows a scoped key only its grid’s people due for a visit, on every page', async () => {
    const everyone = await everyPage(ws.adminKey, 'limit=100', '/v1/people/due');
    expect(ids(everyone)).toEqual([...dueA, ...dueB].sort()); // the control: grid B's are due too
    for (const key of [officeA, gridKeyA]) {
      for (const query of ['limit=1', 'limit=100']) {
        const seen = await everyPage(key, query, '/v1/people/due');
        expect(ids(seen), query).toEqual([...dueA].sort());
        expect(seen.filter((p) => p.gridId !== gridA)).toEqual([]);
      }
      expectProblem(await call('GET', `/v1/people/due?gridId=${gridB}`, { key }), 403);
    }
  });
});

describe('looking a person up by ID number', () => {
  it('finds only the registrations in the key’s grids', async () => {
    const admin = await call('GET', `/v1/people?idNumber=${both.idNumber}`, { key: ws.adminKey });
    expect(ids(admin.body.items)).toEqual([both.inA, both.inB].sort());
    const scoped = await call('GET', `/v1/people?idNumber=${both.idNumber}`, { key: officeA });
    expect(scoped.status).toBe(200);
    expect(ids(scoped.body.items)).toEqual([both.inA]);
    expect(scoped.text).not.toContain(both.inB);
    for (const p of inB) {
      const res = await call('GET', `/v1/people?idNumber=${p.idNumber}`, { key: officeA });
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
      expect(res.text).not.toContain(p.personId);
    }
    // The control: the same lookup finds the person for an unscoped key.
    const found = await call('GET', `/v1/people?idNumber=${inB[0]!.idNumber}`, { key: ws.adminKey });
    expect(ids(found.body.items)).toEqual([inB[0]!.personId]);
    // Grid keys may not look ID numbers up at all.
    expectProblem(await call('GET', `/v1/people?idNumber=${both.idNumber}`, { key: gridKeyA }), 403);
  });
});

describe('statistics of every grid in scope', () => {
  it('GET /v1/stats: rows and totals of the key’s grids only', async () => {
    const admin = (await call('GET', '/v1/stats', { key: ws.adminKey })).body;
    const rowA = admin.grids.find((g: { gridId: string }) => g.gridId === gridA);
    const rowB = admin.grids.find((g: { gridId: string }) => g.gridId === gridB);
    expect(rowA.floatingPopulation).toBe(inA.length + 1);
    expect(rowB.floatingPopulation).toBe(inB.length);
    const { gridId: _a, name: _n, community: _c, ...numbersA } = rowA;
    for (const key of [officeA, gridKeyA]) {
      const scoped = await call('GET', '/v1/stats', { key });
      expect(scoped.status).toBe(200);
      expect(scoped.body.grids).toEqual([rowA]);
      // Every total is grid A's number: nothing of grid B is summed in.
      expect(scoped.body.totals).toEqual(numbersA);
      expect(scoped.body.totals).not.toEqual(admin.totals);
    }
  });

  it('GET /v1/stats/monthly without gridId: the sum over the key’s grids only', async () => {
    const tenant = await call('GET', `/v1/stats/monthly?${months}`, { key: ws.adminKey });
    const onlyA = await call('GET', `/v1/stats/monthly?${months}&gridId=${gridA}`, { key: ws.adminKey });
    const onlyB = await call('GET', `/v1/stats/monthly?${months}&gridId=${gridB}`, { key: ws.adminKey });
    const registered = (r: typeof tenant) =>
      r.body.months.reduce((n: number, m: { registered: number }) => n + m.registered, 0);
    expect(registered(onlyA)).toBe(inA.length + 1);
    expect(registered(onlyB)).toBe(inB.length + 1);
    expect(registered(tenant)).toBe(registered(onlyA) + registered(onlyB)); // the control
    for (const key of [officeA, gridKeyA]) {
      const scoped = await call('GET', `/v1/stats/monthly?${months}`, { key });
      expect(scoped.status).toBe(200);
      expect(scoped.body).toEqual(onlyA.body);
      expectProblem(await call('GET', `/v1/stats/monthly?${months}&gridId=${gridB}`, { key }), 403);
    }
  });
});

describe('writes that move a person into another grid', () => {
  it('a scoped key may not move a person of its grid into a grid outside its scope (403), and nothing changes', async () => {
    const p = inA[0]!;
    const before = (await call('GET', `/v1/people/${p.personId}`, { key: ws.adminKey })).body;
    expectProblem(
      await call('PATCH', `/v1/people/${p.personId}`, { key: officeA, body: { gridId: gridB } }),
      403,
    );
    expectProblem(
      await call('PATCH', `/v1/people/${p.personId}`, {
        key: officeA,
        body: { gridId: gridB, address: 'Building 9' },
      }),
      403,
    );
    for (const key of [officeA, gridKeyA]) {
      expectProblem(
        await call('POST', `/v1/people/${p.personId}/verifications`, {
          key,
          body: { verifiedOn: today, outcome: 'moved', gridId: gridB, address: 'Building 9, Room 1' },
        }),
        403,
      );
    }
    const after = (await call('GET', `/v1/people/${p.personId}`, { key: ws.adminKey })).body;
    expect(after).toEqual(before);
    const history = await call('GET', `/v1/people/${p.personId}/history`, { key: ws.adminKey });
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual(['registered']);
    // The controls: the same keys may move within their scope's grid, and the admin anywhere.
    const moved = await call('POST', `/v1/people/${inA[1]!.personId}/verifications`, {
      key: gridKeyA,
      body: { verifiedOn: today, outcome: 'moved', gridId: gridA, address: 'Building 8, Room 3' },
    });
    expect(moved.status, moved.text).toBe(200);
    const byAdmin = await call('PATCH', `/v1/people/${inA[2]!.personId}`, {
      key: ws.adminKey,
      body: { gridId: gridB },
    });
    expect(byAdmin.status, byAdmin.text).toBe(200);
    expect(byAdmin.body.gridId).toBe(gridB);
  });

  it('a scoped key may not register into, or touch a person of, a grid outside its scope', async () => {
    expectProblem(
      await call('POST', '/v1/people', {
        key: officeA,
        body: arrival(gridB, idNumberFor('female', '1992-02-02')),
      }),
      403,
    );
    const batch = await call('POST', '/v1/people/batch', {
      key: officeA,
      body: {
        items: [
          arrival(gridB, idNumberFor('female', '1993-03-03')),
          arrival(gridA, idNumberFor('female', '1994-04-04')),
        ],
      },
    });
    expect(batch.status, batch.text).toBe(200);
    expect(batch.body.results.map((r: { status: number }) => r.status)).toEqual([403, 201]);
    const p = inB[1]!;
    for (const [method, path, body] of [
      ['GET', `/v1/people/${p.personId}`, undefined],
      ['PATCH', `/v1/people/${p.personId}`, { gridId: gridA }],
      [
        'POST',
        `/v1/people/${p.personId}/verifications`,
        { verifiedOn: today, outcome: 'moved', gridId: gridA },
      ],
      ['POST', `/v1/people/${p.personId}/departure`, { departedOn: today, reason: 'left' }],
      ['GET', `/v1/people/${p.personId}/history`, undefined],
    ] as const) {
      expectProblem(await call(method, path, { key: officeA, body }), 403);
    }
    const still = (await call('GET', `/v1/people/${p.personId}`, { key: ws.adminKey })).body;
    expect(still).toMatchObject({ gridId: gridB, status: 'active', version: 1 });
  });
});
