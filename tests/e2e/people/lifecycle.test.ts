import { beforeAll, describe, expect, it } from 'vitest';
import { idNumberFor } from '../../support/people.js';
import { call, expectProblem, type Workspace } from '../support/api.js';
import { arrival, peopleTownship, today } from './fixture.js';

let ws: Workspace;
let other: Workspace;
let gridA: string;
let gridB: string;
let office: string;
let viewer: string;
let gridKeyA: string;

beforeAll(async () => {
  ({ ws, other, gridA, gridB, office, viewer, gridKeyA } = await peopleTownship());
});

describe('the lifecycle', () => {
  it('updates with If-Match and version, 412 on a stale version, moves grids', async () => {
    const p = (await call('POST', '/v1/people', { key: office, body: arrival(gridA) })).body;
    const updated = await call('PATCH', `/v1/people/${p.personId}`, {
      key: office,
      headers: { 'if-match': '"1"' },
      body: { phone: '13700001111', occupation: null },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ version: 2, phone: '13700001111', occupation: null });
    expect(updated.headers.get('etag')).toBe('"2"');
    expectProblem(
      await call('PATCH', `/v1/people/${p.personId}`, {
        key: office,
        headers: { 'if-match': '1' },
        body: { address: 'x' },
      }),
      412,
    );
    expectProblem(
      await call('PATCH', `/v1/people/${p.personId}`, {
        key: office,
        headers: { 'if-match': 'abc' },
        body: { address: 'x' },
      }),
      400,
    );
    const moved = await call('PATCH', `/v1/people/${p.personId}`, {
      key: office,
      body: { gridId: gridB, address: 'New Road 9' },
    });
    expect(moved.body).toMatchObject({ gridId: gridB, version: 3 });
    expectProblem(
      await call('PATCH', `/v1/people/${p.personId}`, {
        key: office,
        body: { gridId: 'g_01ARZ3NDEKTSV4RRFFQ69G5FAV' },
      }),
      400,
    );
    expectProblem(await call('PATCH', `/v1/people/${p.personId}`, { key: office, body: {} }), 400);
    // A retried PATCH that changes nothing answers the person as it is.
    const same = await call('PATCH', `/v1/people/${p.personId}`, {
      key: office,
      body: { gridId: gridB, address: 'New Road 9' },
    });
    expect(same.status).toBe(200);
    expect(same.body.version).toBe(3);
    expectProblem(
      await call('PATCH', `/v1/people/${p.personId}`, { key: viewer, body: { address: 'x' } }),
      403,
    );
  });

  it('never loses a concurrent update', async () => {
    const p = (await call('POST', '/v1/people', { key: office, body: arrival(gridA) })).body;
    const results = await Promise.all([
      call('PATCH', `/v1/people/${p.personId}`, { key: office, body: { occupation: 'cook' } }),
      call('PATCH', `/v1/people/${p.personId}`, { key: office, body: { employer: 'Noodle House' } }),
      call('PATCH', `/v1/people/${p.personId}`, { key: office, body: { address: 'Lane 5' } }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const now = (await call('GET', `/v1/people/${p.personId}`, { key: office })).body;
    expect(now).toMatchObject({
      occupation: 'cook',
      employer: 'Noodle House',
      address: 'Lane 5',
      version: 4,
    });
  });

  it('records verifications: present and moved set lastVerifiedOn, absent does not', async () => {
    const p = (await call('POST', '/v1/people', { key: office, body: arrival(gridA) })).body;
    const absent = await call('POST', `/v1/people/${p.personId}/verifications`, {
      key: gridKeyA,
      body: { verifiedOn: '2026-10-01', outcome: 'absent' },
    });
    expect(absent.body).toMatchObject({ lastVerifiedOn: null, version: 2 });
    const present = await call('POST', `/v1/people/${p.personId}/verifications`, {
      key: gridKeyA,
      body: { verifiedOn: '2026-10-05', outcome: 'present' },
    });
    expect(present.body).toMatchObject({ lastVerifiedOn: '2026-10-05', version: 3 });
    expectProblem(
      await call('POST', `/v1/people/${p.personId}/verifications`, {
        key: gridKeyA,
        body: { verifiedOn: '2026-10-06', outcome: 'present', gridId: gridB },
      }),
      400,
    );
    expectProblem(
      await call('POST', `/v1/people/${p.personId}/verifications`, {
        key: gridKeyA,
        body: { verifiedOn: '2999-01-01', outcome: 'present' },
      }),
      400,
    );
    expectProblem(
      await call('POST', `/v1/people/${p.personId}/verifications`, {
        key: viewer,
        body: { verifiedOn: today, outcome: 'present' },
      }),
      403,
    );
    const moved = await call('POST', `/v1/people/${p.personId}/verifications`, {
      key: office,
      body: { verifiedOn: '2026-11-01', outcome: 'moved', gridId: gridB, address: 'Block 7' },
    });
    expect(moved.body).toMatchObject({ lastVerifiedOn: '2026-11-01', gridId: gridB, address: 'Block 7' });
    // now outside grid A's scope
    expectProblem(await call('GET', `/v1/people/${p.personId}`, { key: gridKeyA }), 403);
  });

  it('writes off, refuses further changes, and a returning person gets a new registration', async () => {
    const idNumber = idNumberFor('female', '1988-08-08');
    const p = (await call('POST', '/v1/people', { key: office, body: arrival(gridA, { idNumber }) })).body;
    const gone = await call('POST', `/v1/people/${p.personId}/departure`, {
      key: office,
      body: { departedOn: '2026-11-10', reason: 'returned-home' },
    });
    expect(gone.status).toBe(200);
    expect(gone.body).toMatchObject({
      status: 'departed',
      departedOn: '2026-11-10',
      departureReason: 'returned-home',
    });
    expectProblem(
      await call('PATCH', `/v1/people/${p.personId}`, { key: office, body: { address: 'x' } }),
      409,
    );
    expectProblem(
      await call('POST', `/v1/people/${p.personId}/verifications`, {
        key: office,
        body: { verifiedOn: today, outcome: 'present' },
      }),
      409,
    );
    expectProblem(
      await call('POST', `/v1/people/${p.personId}/departure`, {
        key: office,
        body: { departedOn: today, reason: 'left' },
      }),
      409,
    );
    expectProblem(
      await call('POST', `/v1/people/${p.personId}/departure`, {
        key: office,
        body: { departedOn: today, reason: 'vanished' },
      }),
      400,
    );

    const back = await call('POST', '/v1/people', {
      key: office,
      body: arrival(gridB, { idNumber, arrivedOn: today }),
    });
    expect(back.status).toBe(201);
    expect(back.body.personId).not.toBe(p.personId);
    const all = await call('GET', `/v1/people?idNumber=${idNumber}`, { key: office });
    expect(all.body.items.map((x: { personId: string }) => x.personId)).toEqual([
      back.body.personId,
      p.personId,
    ]);
    expectProblem(await call('GET', `/v1/people?idNumber=${idNumber}`, { key: viewer }), 403);
    expectProblem(await call('GET', `/v1/people?idNumber=${idNumber}`, { key: gridKeyA }), 403);
    expectProblem(await call('GET', '/v1/people?idNumber=123', { key: office }), 400);
    expect(
      (await call('GET', `/v1/people?idNumber=${idNumber}`, { key: other.adminKey })).body.items,
    ).toEqual([]);
  });

  it('keeps an audit history, oldest first, without raw ID or phone numbers', async () => {
    const p = (await call('POST', '/v1/people', { key: office, body: arrival(gridA) })).body;
    await call('PATCH', `/v1/people/${p.personId}`, { key: office, body: { phone: '13611112222' } });
    await call('POST', `/v1/people/${p.personId}/verifications`, {
      key: gridKeyA,
      body: { verifiedOn: today, outcome: 'present' },
    });
    await call('POST', `/v1/people/${p.personId}/departure`, {
      key: ws.adminKey,
      body: { departedOn: today, reason: 'left' },
    });
    const history = await call('GET', `/v1/people/${p.personId}/history`, { key: office });
    expect(history.status).toBe(200);
    expect(history.body.items.map((h: { action: string }) => h.action)).toEqual([
      'registered',
      'updated',
      'verified',
      'departed',
    ]);
    expect(history.body.items[1]).toMatchObject({
      actor: { keyId: expect.stringMatching(/^k_/), name: 'office key' },
      changedFields: ['phone'],
    });
    expect(history.body.items[3].actor.name).toBe('Admin');
    expect(history.text).not.toContain(p.idNumber);
    expect(history.text).not.toContain('13611112222');
    expectProblem(await call('GET', `/v1/people/${p.personId}/history`, { key: viewer }), 403);
  });
});

describe('bulk registration', () => {
  it('registers up to 100 with a result per item in input order', async () => {
    const dup = idNumberFor('male', '1970-01-01');
    const res = await call('POST', '/v1/people/batch', {
      key: office,
      body: {
        items: [
          arrival(gridA, { idNumber: dup }),
          arrival(gridA, { idNumber: '110101199002301234' }),
          arrival(gridA, { idNumber: dup }),
          { name: 'only a name' },
          arrival(gridB),
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([201, 400, 409, 400, 201]);
    expect(res.body.results[0].person.personId).toMatch(/^p_/);
    expect(res.body.results[1].errors[0].path).toBe('idNumber');
    expect(res.body.results[2].personId).toBe(res.body.results[0].person.personId);
    expectProblem(await call('POST', '/v1/people/batch', { key: office, body: { items: [] } }), 400);
    expectProblem(
      await call('POST', '/v1/people/batch', {
        key: office,
        body: { items: Array.from({ length: 101 }, () => arrival(gridA)) },
      }),
      400,
    );
    expectProblem(
      await call('POST', '/v1/people/batch', { key: viewer, body: { items: [arrival(gridA)] } }),
      403,
    );
  });
});
