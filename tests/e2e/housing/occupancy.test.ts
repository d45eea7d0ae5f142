import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, call, eventually, expectProblem } from '../support/api.js';
import { createHouse, type HousingTownship, housingTownship, ok, personBody, today } from './fixture.js';

/**
 * People live in houses (docs/housing.md, "Occupancy"): a house's occupants follow
 * registrations, moves (a `moved` verification naming a new house) and write-offs — on the
 * house (`occupants`, `overOccupied`), in `GET /v1/people?houseId=…` and in the grid's
 * `housesLet` / `housesVacant`; a banned house takes nobody new (409) and lists the people still
 * living in it in the banned-house worklist.
 */

let t: HousingTownship;

beforeAll(async () => {
  t = await housingTownship('Occupancy Township');
});

const house = (key: string, houseId: string) => call('GET', `/v1/houses/${houseId}`, { key });
const occupantsOf = async (houseId: string) =>
  (await call('GET', `/v1/people?houseId=${houseId}`, { key: t.ws.adminKey })).body.items
    .map((p: { personId: string }) => p.personId)
    .sort();
const gridStats = (gridId: string) => call('GET', `/v1/grids/${gridId}/stats`, { key: t.ws.adminKey });

/** Poll a house until its stream-kept `occupants` is `n` (the contract's 5 s). */
async function occupantsBecome(houseId: string, n: number): Promise<ApiResponse> {
  const res = await eventually(
    () => house(t.ws.adminKey, houseId),
    (r) => r.body.occupants === n,
  );
  expect(res.body.occupants, `occupants of ${houseId}`).toBe(n);
  return res;
}

describe('occupancy follows registrations, moves and write-offs', () => {
  it('counts people in, moves them between houses and out, on the house, its people and the grid', async () => {
    const [h1, h2] = await Promise.all([
      createHouse(t.ws.adminKey, t.gridA, { landlordId: t.landlordId, maxOccupants: 2 }),
      createHouse(t.ws.adminKey, t.gridA, { landlordId: t.landlordId, maxOccupants: 1 }),
    ]);
    expect([h1.occupants, h1.overOccupied]).toEqual([0, false]);
    const before = await eventually(
      () => gridStats(t.gridA),
      (r) => r.body.housesRegistered === 2,
    );
    expect(before.body).toMatchObject({
      housesRegistered: 2,
      housesLet: 0,
      housesVacant: 2,
      occupancyRate: 0,
    });

    // Registration names the house: one person at once, two in a batch.
    const first = ok(
      await call('POST', '/v1/people', {
        key: t.ws.adminKey,
        body: personBody(t.gridA, { houseId: h1.houseId }),
      }),
    );
    expect(first.houseId).toBe(h1.houseId);
    const batch = ok(
      await call('POST', '/v1/people/batch', {
        key: t.ws.adminKey,
        body: {
          items: [
            personBody(t.gridA, { houseId: h1.houseId, name: 'Tenant Wu' }),
            personBody(t.gridA, { houseId: h2.houseId, name: 'Tenant Ma' }),
          ],
        },
      }),
      200,
    );
    expect(batch.results.map((r: { status: number }) => r.status)).toEqual([201, 201]);
    const [second, third] = batch.results.map((r: { person: { personId: string } }) => r.person.personId);

    expect((await occupantsBecome(h1.houseId, 2)).body.overOccupied).toBe(false);
    await occupantsBecome(h2.houseId, 1);
    expect(await occupantsOf(h1.houseId)).toEqual([first.personId, second].sort());
    expect(await occupantsOf(h2.houseId)).toEqual([third]);
    const let2 = await eventually(
      () => gridStats(t.gridA),
      (r) => r.body.housesLet === 2,
    );
    expect(let2.body).toMatchObject({
      housesLet: 2,
      housesVacant: 0,
      occupancyRate: 1,
      housesOverOccupied: 0,
    });

    // A moved verification into h2 (allowed one): h2 is over-occupied, h1 keeps one.
    const moved = await call('POST', `/v1/people/${second}/verifications`, {
      key: t.ws.adminKey,
      body: { verifiedOn: today, outcome: 'moved', houseId: h2.houseId, address: 'Qiaotou Estate, Room 102' },
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.houseId).toBe(h2.houseId);
    expect((await occupantsBecome(h2.houseId, 2)).body.overOccupied).toBe(true);
    await occupantsBecome(h1.houseId, 1);
    expect(await occupantsOf(h2.houseId)).toEqual([second, third].sort());
    expect(await occupantsOf(h1.houseId)).toEqual([first.personId]);
    const over = await eventually(
      () => gridStats(t.gridA),
      (r) => r.body.housesOverOccupied === 1,
    );
    expect(over.body).toMatchObject({ housesLet: 2, housesVacant: 0, housesOverOccupied: 1 });

    // Write-offs: h1 empties (vacant again), h2 is back within its limit.
    ok(
      await call('POST', `/v1/people/${first.personId}/departure`, {
        key: t.ws.adminKey,
        body: { departedOn: today, reason: 'left' },
      }),
      200,
    );
    ok(
      await call('POST', `/v1/people/${third}/departure`, {
        key: t.ws.adminKey,
        body: { departedOn: today, reason: 'left' },
      }),
      200,
    );
    await occupantsBecome(h1.houseId, 0);
    expect((await occupantsBecome(h2.houseId, 1)).body.overOccupied).toBe(false);
    expect(await occupantsOf(h1.houseId)).toEqual([]);
    expect(await occupantsOf(h2.houseId)).toEqual([second]);
    const after = await eventually(
      () => gridStats(t.gridA),
      (r) => r.body.housesLet === 1 && r.body.housesOverOccupied === 0,
    );
    expect(after.body).toMatchObject({
      housesLet: 1,
      housesVacant: 1,
      occupancyRate: 0.5,
      housesOverOccupied: 0,
    });

    // A move to another grid without naming a house leaves the house.
    ok(
      await call('POST', `/v1/people/${second}/verifications`, {
        key: t.ws.adminKey,
        body: { verifiedOn: today, outcome: 'moved', gridId: t.gridB, address: 'Grid B Road 1' },
      }),
      200,
    );
    await occupantsBecome(h2.houseId, 0);
    expect((await call('GET', `/v1/people/${second}`, { key: t.ws.adminKey })).body.houseId).toBeNull();
  });
});

describe('banned houses', () => {
  it('refuse a registration (409 house-not-open) and list their occupants in the banned-house worklist', async () => {
    const h = await createHouse(t.ws.adminKey, t.gridB, { landlordId: t.landlordId, maxOccupants: 3 });
    const person = ok(
      await call('POST', '/v1/people', {
        key: t.ws.adminKey,
        body: personBody(t.gridB, { houseId: h.houseId }),
      }),
    );
    await occupantsBecome(h.houseId, 1);
    const banned = await call('POST', `/v1/houses/${h.houseId}/ban`, {
      key: t.office,
      body: { reason: 'Let without registration', basis: 'Rental regulations art. 12', bannedOn: today },
    });
    expect(banned.status, banned.text).toBe(200);
    expect(banned.body).toMatchObject({
      status: 'banned',
      bannedOn: today,
      ban: { reason: 'Let without registration', basis: 'Rental regulations art. 12', bannedOn: today },
    });

    const refused = await call('POST', '/v1/people', {
      key: t.ws.adminKey,
      body: personBody(t.gridB, { houseId: h.houseId, name: 'Tenant Late' }),
    });
    expect(refused.status, refused.text).toBe(409);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({
      type: expect.stringMatching(/house-not-open$/),
      houseId: h.houseId,
      houseStatus: 'banned',
    });
    // …and a move into it.
    const neighbour = ok(
      await call('POST', '/v1/people', {
        key: t.ws.adminKey,
        body: personBody(t.gridB, { name: 'Tenant Next Door' }),
      }),
    );
    const moveIn = await call('PATCH', `/v1/people/${neighbour.personId}`, {
      key: t.ws.adminKey,
      body: { houseId: h.houseId },
    });
    expectProblem(moveIn, 409);
    const verifiedIn = await call('POST', `/v1/people/${neighbour.personId}/verifications`, {
      key: t.ws.adminKey,
      body: { verifiedOn: today, outcome: 'moved', houseId: h.houseId, address: 'Banned house' },
    });
    expectProblem(verifiedIn, 409);

    // The ban wrote nothing to the occupant: still living there, on the worklist.
    expect(await occupantsOf(h.houseId)).toEqual([person.personId]);
    const worklist = await eventually(
      () => call('GET', '/v1/houses/banned-occupied', { key: t.ws.adminKey }),
      (r) => r.body.items?.some((x: { houseId: string }) => x.houseId === h.houseId),
    );
    expect(worklist.status).toBe(200);
    expect(worklist.body.items).toEqual([
      expect.objectContaining({ houseId: h.houseId, status: 'banned', occupants: 1 }),
    ]);
    // Scoped like everything else: grid A's key does not see grid B's banned house.
    const scoped = await call('GET', '/v1/houses/banned-occupied', { key: t.gridKeyA });
    expect(scoped.status).toBe(200);
    expect(scoped.body.items).toEqual([]);
    const stats = await eventually(
      () => gridStats(t.gridB),
      (r) => r.body.housesBanned === 1,
    );
    expect(stats.body).toMatchObject({ housesBanned: 1 });

    // Written off, the person leaves the worklist.
    ok(
      await call('POST', `/v1/people/${person.personId}/departure`, {
        key: t.ws.adminKey,
        body: { departedOn: today, reason: 'left' },
      }),
      200,
    );
    const empty = await eventually(
      () => call('GET', '/v1/houses/banned-occupied', { key: t.ws.adminKey }),
      (r) => r.body.items?.length === 0,
    );
    expect(empty.body.items).toEqual([]);
  });
});

describe('the banned-house worklist', () => {
  it('fills a page with occupied banned houses even when most banned houses are empty', async () => {
    const w = await housingTownship('Worklist Township');
    const houses = await Promise.all(
      Array.from({ length: 6 }, () => createHouse(w.ws.adminKey, w.gridA, { landlordId: w.landlordId })),
    );
    // only the last two (in houseId order) have people in them
    const byId = [...houses].sort((a, b) => a.houseId.localeCompare(b.houseId));
    const lived = byId.slice(-2).map((h) => h.houseId);
    for (const houseId of lived) {
      ok(await call('POST', '/v1/people', { key: w.ws.adminKey, body: personBody(w.gridA, { houseId }) }));
    }
    for (const h of byId) {
      ok(
        await call('POST', `/v1/houses/${h.houseId}/ban`, {
          key: w.ws.adminKey,
          body: { reason: 'illegal rental', basis: 'Notice 5', bannedOn: today },
        }),
        200,
      );
    }
    // once the stream has counted both occupants ...
    await eventually(
      () => call('GET', '/v1/houses/banned-occupied?limit=10', { key: w.ws.adminKey }),
      (r) => r.body.items?.length === 2,
    );
    // ... the first page of one holds an occupied house (not an empty page with a next cursor) ...
    const first = await call('GET', '/v1/houses/banned-occupied?limit=1', { key: w.ws.adminKey });
    expect(first.body.items.map((h: { houseId: string }) => h.houseId)).toEqual([lived[0]]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    // ... and the next one the other, and that is all
    const second = await call(
      'GET',
      `/v1/houses/banned-occupied?limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      { key: w.ws.adminKey },
    );
    expect(second.body.items.map((h: { houseId: string }) => h.houseId)).toEqual([lived[1]]);
    const all = await call('GET', '/v1/houses/banned-occupied?limit=10', { key: w.ws.adminKey });
    expect(all.body.items.map((h: { houseId: string }) => h.houseId)).toEqual(lived);
    expect(all.body.nextCursor).toBeNull();
  });
});
