import { beforeAll, describe, expect, it } from 'vitest';
import { idNumberFor } from '../../support/people.js';
import { call, expectProblem, type Workspace } from '../support/api.js';
import { arrival, peopleTownship, today } from './fixture.js';

/**
 * People live in houses (docs/housing.md, "Occupancy"), over HTTP against the real local stack:
 * the houses are made through the housing routes, the people name them, and the house's
 * occupants are listed from the people registry.
 */
let ws: Workspace;
let gridA: string;
let gridB: string;
let office: string;
let viewer: string;
let gridKeyA: string;
let landlordId: string;

let n = 0;
/** A fresh arrival (its own ID number) in `gridId`. */
const newcomer = (gridId: string, over: Record<string, unknown> = {}) =>
  arrival(gridId, {
    idNumber: idNumberFor(n % 2 ? 'male' : 'female', `1988-04-${String((n++ % 28) + 1).padStart(2, '0')}`),
    ...over,
  });

async function house(gridId: string, status: 'discovered' | 'registered' | 'banned' | 'closed') {
  const made = await call('POST', '/v1/houses', {
    key: ws.adminKey,
    body: {
      gridId,
      status: status === 'discovered' ? 'discovered' : 'registered',
      address: { estate: 'Qiaotou Village', building: '3', room: String(++n) },
      plaque: `QT-${Date.now()}-${n}`,
      houseType: 'suite',
      use: 'dwelling',
      lettingMode: 'whole',
      managementClass: 'B',
      ...(status === 'discovered' ? {} : { landlordId }),
    },
  });
  if (made.status !== 201) throw new Error(`house ${made.status} ${made.text}`);
  const houseId = made.body.houseId as string;
  const step =
    status === 'banned'
      ? { path: 'ban', body: { reason: 'illegal rental', basis: 'fire code', bannedOn: today } }
      : status === 'closed'
        ? { path: 'closure', body: { reason: 'letting-stopped', closedOn: today } }
        : undefined;
  if (step) {
    const res = await call('POST', `/v1/houses/${houseId}/${step.path}`, {
      key: ws.adminKey,
      body: step.body,
    });
    if (res.status !== 200) throw new Error(`house ${step.path} ${res.status} ${res.text}`);
    expect(res.body.status).toBe(status);
  }
  return houseId;
}

const occupants = (houseId: string, key = office, query = '') =>
  call('GET', `/v1/people?houseId=${houseId}${query}`, { key });
const occupantIds = async (houseId: string) => {
  const res = await occupants(houseId);
  expect(res.status).toBe(200);
  return (res.body.items as { personId: string }[]).map((p) => p.personId).sort();
};

beforeAll(async () => {
  ({ ws, gridA, gridB, office, viewer, gridKeyA } = await peopleTownship());
  const landlord = await call('POST', '/v1/landlords', {
    key: ws.adminKey,
    body: {
      kind: 'individual',
      name: 'Landlord Wu',
      idNumber: idNumberFor('male', '1960-08-08'),
      phone: '13811112222',
      address: 'Qiaotou Village 1',
    },
  });
  if (landlord.status !== 201) throw new Error(`landlord ${landlord.status} ${landlord.text}`);
  landlordId = landlord.body.landlordId;
});

describe('registering into a house', () => {
  it('an open house (discovered or registered) takes a registration; the person shows houseId', async () => {
    for (const status of ['discovered', 'registered'] as const) {
      const houseId = await house(gridA, status);
      const res = await call('POST', '/v1/people', { key: office, body: newcomer(gridA, { houseId }) });
      expect(res.status).toBe(201);
      expect(res.body.houseId).toBe(houseId);
      const read = await call('GET', `/v1/people/${res.body.personId}`, { key: gridKeyA });
      expect(read.body.houseId).toBe(houseId);
    }
    const without = await call('POST', '/v1/people', { key: office, body: newcomer(gridA) });
    expect(without.body.houseId).toBeNull();
  });

  it('a banned or closed house is 409 house-not-open, and nothing is registered', async () => {
    for (const status of ['banned', 'closed'] as const) {
      const houseId = await house(gridA, status);
      const body = newcomer(gridA, { houseId });
      const res = await call('POST', '/v1/people', { key: office, body });
      expectProblem(res, 409);
      expect(res.body).toMatchObject({
        type: 'https://township-registry.example/problems/house-not-open',
        houseId,
        houseStatus: status,
      });
      const found = await call('GET', `/v1/people?idNumber=${body.idNumber}`, { key: office });
      expect(found.body.items).toEqual([]);
    }
  });

  it('an unknown house or one of another grid is 422 on houseId, and nothing is registered', async () => {
    const inB = await house(gridB, 'registered');
    const cases = [
      ['h_01ARZ3NDEKTSV4RRFFQ69G5FAV', 'no such house in this township'],
      [inB, `the house is in grid ${gridB}; register the person in that grid`],
    ] as const;
    for (const [houseId, message] of cases) {
      const body = newcomer(gridA, { houseId });
      const res = await call('POST', '/v1/people', { key: office, body });
      expectProblem(res, 422);
      expect(res.body.errors).toEqual([{ path: 'houseId', message }]);
      const found = await call('GET', `/v1/people?idNumber=${body.idNumber}`, { key: office });
      expect(found.body.items).toEqual([]);
    }
  });
});

describe('a house’s occupants', () => {
  it('follow registration, PATCH, moved verification, grid change and write-off', async () => {
    const h1 = await house(gridA, 'registered');
    const hB = await house(gridB, 'registered');
    const reg = async (over: Record<string, unknown> = {}) =>
      (await call('POST', '/v1/people', { key: office, body: newcomer(gridA, over) })).body
        .personId as string;
    const a = await reg({ houseId: h1 });
    const b = await reg({ houseId: h1 });
    const c = await reg();
    expect(await occupantIds(h1)).toEqual([a, b].sort());

    // c moves in by PATCH, b moves to grid B (leaving the house), a moves into hB by a verification
    expect(
      (await call('PATCH', `/v1/people/${c}`, { key: office, body: { houseId: h1 } })).body.houseId,
    ).toBe(h1);
    const moved = await call('PATCH', `/v1/people/${b}`, { key: office, body: { gridId: gridB } });
    expect(moved.body).toMatchObject({ gridId: gridB, houseId: null });
    const verified = await call('POST', `/v1/people/${a}/verifications`, {
      key: office,
      body: { verifiedOn: today, outcome: 'moved', gridId: gridB, houseId: hB },
    });
    expect(verified.body).toMatchObject({ gridId: gridB, houseId: hB });
    expect(await occupantIds(h1)).toEqual([c]);
    expect(await occupantIds(hB)).toEqual([a]);

    // c is written off: the house is empty, the record keeps where c lived
    const off = await call('POST', `/v1/people/${c}/departure`, {
      key: office,
      body: { departedOn: today, reason: 'left' },
    });
    expect(off.body).toMatchObject({ status: 'departed', houseId: h1 });
    expect(await occupantIds(h1)).toEqual([]);

    // the history names the field, never the value
    const history = await call('GET', `/v1/people/${b}/history`, { key: office });
    expect([...history.body.items.at(-1).changedFields].sort()).toEqual(['gridId', 'houseId']);
    expect(history.text).not.toContain(h1);
  });

  it('are paged, masked like any list, and scoped by grid', async () => {
    const h = await house(gridA, 'registered');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        (await call('POST', '/v1/people', { key: office, body: newcomer(gridA, { houseId: h }) })).body
          .personId,
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await occupants(
        h,
        office,
        `&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((p: { personId: string }) => p.personId));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].sort());

    const masked = await occupants(h, viewer);
    expect(masked.body.items).toHaveLength(3);
    for (const p of masked.body.items) {
      expect(p.idNumber).toContain('*');
      expect(p.phone).toContain('*');
    }
    expect((await occupants(h, gridKeyA)).body.items).toHaveLength(3);
    const gridKeyB = await ws.keyOf('grid', [gridB]);
    expectProblem(await occupants(h, gridKeyB), 403);
    expectProblem(await occupants('h_01ARZ3NDEKTSV4RRFFQ69G5FAV'), 404);
    expectProblem(await occupants(h, office, '&status=departed'), 400);
    expectProblem(await occupants(h, office, `&gridId=${gridA}`), 400);
    expect((await occupants(h, office, '&status=active')).body.items).toHaveLength(3);
  });

  it('a grid’s people list shows people only, whatever houses the grid holds', async () => {
    const g = await ws.grid('Grid with houses');
    const h = await house(g, 'registered');
    await house(g, 'discovered');
    const p = (await call('POST', '/v1/people', { key: office, body: newcomer(g, { houseId: h }) })).body;
    for (const query of [`gridId=${g}`, `gridId=${g}&status=active`]) {
      const list = await call('GET', `/v1/people?${query}`, { key: office });
      expect(list.body.items.map((x: { personId: string }) => x.personId)).toEqual([p.personId]);
    }
  });
});
