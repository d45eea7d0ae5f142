import { beforeAll, describe, expect, it } from 'vitest';
import { idNumberFor } from '../../support/people.js';
import { call, expectProblem, signUp, type Workspace } from '../support/api.js';
import { arrival, peopleTownship, today } from './fixture.js';

let ws: Workspace;
let other: Workspace;
let gridA: string;
let gridB: string;
let office: string;
let officeA: string;
let viewer: string;
let gridKeyA: string;

beforeAll(async () => {
  ({ ws, other, gridA, gridB, office, officeA, viewer, gridKeyA } = await peopleTownship());
});

describe('registering an arrival', () => {
  it('derives sex and birth date, issues a card number and version 1', async () => {
    const id = idNumberFor('male', '1985-11-20').replace('X', 'x');
    const res = await call('POST', '/v1/people', {
      key: office,
      body: arrival(gridA, { idNumber: id, maritalStatus: 'single' }),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      personId: expect.stringMatching(/^p_/),
      cardNumber: expect.stringMatching(/^C\d{8}$/),
      idNumber: id.toUpperCase(),
      sex: 'male',
      birthDate: '1985-11-20',
      status: 'active',
      version: 1,
      lastVerifiedOn: null,
      departedOn: null,
      departureReason: null,
      houseId: null,
    });
    expect(res.headers.get('etag')).toBe('"1"');
    expect(Object.keys(res.body)).toEqual([
      'personId',
      'cardNumber',
      'idNumber',
      'name',
      'sex',
      'birthDate',
      'flow',
      'gridId',
      'address',
      'houseId',
      'arrivedOn',
      'lastVerifiedOn',
      'maritalStatus',
      'phone',
      'occupation',
      'employer',
      'originRegion',
      'status',
      'departedOn',
      'departureReason',
      'version',
      'createdAt',
      'updatedAt',
    ]);
  });

  it('refuses bad ID numbers, future dates and unknown grids with 400 naming the field', async () => {
    const good = idNumberFor('female', '1992-01-01');
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const cases: [Record<string, unknown>, string][] = [
      [{ idNumber: wrongCheck }, 'idNumber'],
      [{ idNumber: '110101199302300012' }, 'idNumber'],
      [{ idNumber: '12345' }, 'idNumber'],
      [{ arrivedOn: '2999-01-01' }, 'arrivedOn'],
      [{ arrivedOn: '2026-02-30' }, 'arrivedOn'],
      [{ lastVerifiedOn: '2999-01-01' }, 'lastVerifiedOn'],
      [{ gridId: 'g_01ARZ3NDEKTSV4RRFFQ69G5FAV' }, 'gridId'],
      [{ flow: 'sideways' }, 'flow'],
      [{ maritalStatus: 'complicated' }, 'maritalStatus'],
      [{ phone: 'call me' }, 'phone'],
    ];
    for (const [override, field] of cases) {
      const res = await call('POST', '/v1/people', { key: office, body: arrival(gridA, override) });
      expectProblem(res, 400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    const missing = await call('POST', '/v1/people', { key: office, body: { name: 'x' } });
    expectProblem(missing, 400);
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(['idNumber', 'flow', 'gridId', 'address', 'arrivedOn', 'maritalStatus']),
    );
    // Another tenant's grid is unknown here.
    const foreignGrid = await other.grid();
    expectProblem(await call('POST', '/v1/people', { key: office, body: arrival(foreignGrid) }), 400);
  });

  it('409 with the existing personId for a second active registration, even under concurrency', async () => {
    const body = arrival(gridA, { idNumber: idNumberFor('female', '1995-06-15') });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => call('POST', '/v1/people', { key: office, body })),
    );
    const created = results.filter((r) => r.status === 201);
    const conflicts = results.filter((r) => r.status === 409);
    expect(created).toHaveLength(1);
    expect(conflicts).toHaveLength(7);
    for (const c of conflicts) expect(c.body.personId).toBe(created[0]?.body.personId);
  });

  it('only admin and office register; scoped office keys only in their grids', async () => {
    expectProblem(await call('POST', '/v1/people', { key: viewer, body: arrival(gridA) }), 403);
    expectProblem(await call('POST', '/v1/people', { key: gridKeyA, body: arrival(gridA) }), 403);
    expectProblem(await call('POST', '/v1/people', { key: officeA, body: arrival(gridB) }), 403);
    expect((await call('POST', '/v1/people', { key: officeA, body: arrival(gridA) })).status).toBe(201);
  });

  it('card numbers are unique in the tenant', async () => {
    const cards = await Promise.all(
      Array.from(
        { length: 6 },
        async () => (await call('POST', '/v1/people', { key: office, body: arrival(gridB) })).body.cardNumber,
      ),
    );
    expect(new Set(cards).size).toBe(6);
  });

  it('replays an Idempotency-Key: same body → same person and nothing new; other body → 409', async () => {
    const headers = { 'idempotency-key': `reg-${Date.now()}` };
    const body = arrival(gridB);
    const first = await call('POST', '/v1/people', { key: office, body, headers });
    const second = await call('POST', '/v1/people', { key: office, body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.personId).toBe(first.body.personId);
    expect(second.body.cardNumber).toBe(first.body.cardNumber);
    expectProblem(await call('POST', '/v1/people', { key: office, body: arrival(gridB), headers }), 409);
  });
});

describe('reading people', () => {
  it('masks identifiers for viewers always and in lists for grid keys', async () => {
    const created = (await call('POST', '/v1/people', { key: office, body: arrival(gridA) })).body;
    const asViewer = await call('GET', `/v1/people/${created.personId}`, { key: viewer });
    expect(asViewer.body.idNumber).toBe(
      `${created.idNumber.slice(0, 6)}********${created.idNumber.slice(-4)}`,
    );
    expect(asViewer.body.phone).toBe('139****5678');
    const asGrid = await call('GET', `/v1/people/${created.personId}`, { key: gridKeyA });
    expect(asGrid.body.idNumber).toBe(created.idNumber);
    const gridList = await call('GET', `/v1/people?gridId=${gridA}&limit=100`, { key: gridKeyA });
    expect(gridList.text).not.toContain(created.idNumber);
    const officeList = await call('GET', `/v1/people?gridId=${gridA}&limit=100`, { key: office });
    expect(officeList.text).toContain(created.idNumber);
  });

  it('scopes grid keys to their grids and hides other tenants (404)', async () => {
    const inB = (await call('POST', '/v1/people', { key: office, body: arrival(gridB) })).body;
    expectProblem(await call('GET', `/v1/people/${inB.personId}`, { key: gridKeyA }), 403);
    expectProblem(await call('GET', `/v1/people?gridId=${gridB}`, { key: gridKeyA }), 403);
    for (const [method, path, body] of [
      ['GET', `/v1/people/${inB.personId}`, undefined],
      ['PATCH', `/v1/people/${inB.personId}`, { address: 'x' }],
      ['POST', `/v1/people/${inB.personId}/verifications`, { verifiedOn: today, outcome: 'present' }],
      ['POST', `/v1/people/${inB.personId}/departure`, { departedOn: today, reason: 'left' }],
      ['GET', `/v1/people/${inB.personId}/history`, undefined],
    ] as const) {
      expectProblem(await call(method, path, { key: other.adminKey, body }), 404);
    }
    expectProblem(await call('GET', `/v1/people?gridId=${gridB}`, { key: other.adminKey }), 404);
    // Naming a grid the caller cannot use does not reveal that another tenant's person exists.
    const otherOffice = await other.keyOf('office', [await other.grid()]);
    expectProblem(
      await call('PATCH', `/v1/people/${inB.personId}`, { key: otherOffice, body: { gridId: gridA } }),
      404,
    );
    expectProblem(
      await call('POST', `/v1/people/${inB.personId}/verifications`, {
        key: otherOffice,
        body: { verifiedOn: today, outcome: 'moved', gridId: gridA },
      }),
      404,
    );
    expectProblem(await call('GET', '/v1/people/p_01ARZ3NDEKTSV4RRFFQ69G5FAV', { key: office }), 404);
    expectProblem(await call('GET', '/v1/people/../../etc', { key: office }), 404);
  });

  it('pages a grid in a stable order without duplicates or gaps while writes happen', async () => {
    const ws2 = await signUp();
    const g1 = await ws2.grid();
    const g2 = await ws2.grid();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      ids.push(
        (await call('POST', '/v1/people', { key: ws2.adminKey, body: arrival(i % 2 ? g1 : g2) })).body
          .personId,
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { body: { items: { personId: string }[]; nextCursor: string | null } } = await call(
        'GET',
        `/v1/people?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { key: ws2.adminKey },
      );
      seen.push(...page.body.items.map((p) => p.personId));
      cursor = page.body.nextCursor;
      // writes in between pages: a new person and a departure
      if (pages === 1) {
        await call('POST', '/v1/people', { key: ws2.adminKey, body: arrival(g1) });
        await call('POST', `/v1/people/${ids[0]}/departure`, {
          key: ws2.adminKey,
          body: { departedOn: today, reason: 'left' },
        });
      }
      pages++;
    } while (cursor && pages < 20);
    for (const id of ids) expect(seen.filter((s) => s === id)).toHaveLength(1);
    expect(new Set(seen).size).toBe(seen.length);

    const active = await call('GET', `/v1/people?gridId=${g2}&status=active&limit=100`, {
      key: ws2.adminKey,
    });
    expect(active.body.items.every((p: { status: string }) => p.status === 'active')).toBe(true);
    expect(active.body.items.map((p: { personId: string }) => p.personId)).not.toContain(ids[0]);
    const departed = await call('GET', `/v1/people?gridId=${g2}&status=departed`, { key: ws2.adminKey });
    expect(departed.body.items.map((p: { personId: string }) => p.personId)).toEqual([ids[0]]);
  });

  it('refuses cursors from another tenant or query, and bad limits', async () => {
    const ws2 = await signUp();
    const g = await ws2.grid();
    for (let i = 0; i < 3; i++) await call('POST', '/v1/people', { key: ws2.adminKey, body: arrival(g) });
    const page = await call('GET', `/v1/people?gridId=${g}&limit=1`, { key: ws2.adminKey });
    const cursor = encodeURIComponent(page.body.nextCursor);
    const stolen = await call('GET', `/v1/people?gridId=${g}&limit=1&cursor=${cursor}`, { key: ws.adminKey });
    // The grid is not the other tenant's: 404 before the cursor is even read.
    expectProblem(stolen, 404);
    expectProblem(await call('GET', `/v1/people?limit=1&cursor=${cursor}`, { key: ws.adminKey }), 400);
    // Only the tenant differs: the same query, another tenant's key — refused.
    const allPage = await call('GET', '/v1/people?limit=1', { key: ws2.adminKey });
    expect(allPage.body.nextCursor).toEqual(expect.any(String));
    const sameQuery = encodeURIComponent(allPage.body.nextCursor);
    const crossTenant = await call('GET', `/v1/people?limit=1&cursor=${sameQuery}`, { key: ws.adminKey });
    expectProblem(crossTenant, 400);
    expect(crossTenant.body.errors[0].path).toBe('query.cursor');
    expect((await call('GET', `/v1/people?limit=1&cursor=${sameQuery}`, { key: ws2.adminKey })).status).toBe(
      200,
    );
    expectProblem(
      await call('GET', `/v1/people?gridId=${g}&status=active&cursor=${cursor}`, { key: ws2.adminKey }),
      400,
    );
    expectProblem(await call('GET', `/v1/people?cursor=garbage`, { key: ws2.adminKey }), 400);
    expectProblem(await call('GET', `/v1/people?limit=0`, { key: ws2.adminKey }), 400);
    expectProblem(await call('GET', `/v1/people?limit=101`, { key: ws2.adminKey }), 400);
    expectProblem(await call('GET', `/v1/people?status=gone`, { key: ws2.adminKey }), 400);
  });
});
