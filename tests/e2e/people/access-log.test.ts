import { beforeAll, describe, expect, it } from 'vitest';
import { todayIn } from '../../../shared/platform/dates.js';
import { idNumberFor } from '../../support/people.js';
import { call, expectProblem, signUp, type Workspace } from '../support/api.js';

/**
 * Who saw whose identity: every response that carried a person's raw ID number or phone leaves
 * exactly one access entry for that person (key, route, when, which fields) — lists one per
 * person shown — and viewers, who only ever see masked values, leave none.
 */
const today = todayIn('Asia/Shanghai');
let ws: Workspace;
let grid: string;
let office: string;
let viewer: string;
let gridKey: string;
let n = 0;

const arrival = (phone: string | null) => ({
  idNumber: idNumberFor('male', `1985-03-${String((n++ % 28) + 1).padStart(2, '0')}`),
  name: 'Audit',
  flow: 'inflow',
  gridId: grid,
  address: 'Building 9',
  arrivedOn: today,
  maritalStatus: 'single',
  ...(phone ? { phone } : {}),
});

const logOf = async (personId: string) =>
  (await call('GET', `/v1/people/${personId}/access-log?limit=100`, { key: ws.adminKey })).body.items as {
    actor: { keyId: string };
    route: string;
    fields: string[];
  }[];

beforeAll(async () => {
  ws = await signUp();
  grid = await ws.grid('Audit grid');
  office = await ws.keyOf('office');
  viewer = await ws.keyOf('viewer');
  gridKey = await ws.keyOf('grid', [grid]);
});

describe('the access log', () => {
  it('counts exactly the responses that carried raw identifiers; none for viewers', async () => {
    const registered = await call('POST', '/v1/people', { key: office, body: arrival('13812345678') });
    expect(registered.status).toBe(201);
    const id = registered.body.personId as string;
    // 1: the registration's own answer (office sees raw values)
    await call('GET', `/v1/people/${id}`, { key: office }); // 2
    await call('GET', `/v1/people/${id}`, { key: gridKey }); // 3 (a grid key sees one record raw)
    await call('GET', `/v1/people/${id}`, { key: viewer }); // masked: none
    await call('GET', `/v1/people?gridId=${grid}`, { key: viewer }); // masked: none
    await call('GET', `/v1/people?gridId=${grid}`, { key: gridKey }); // lists are masked for grid keys: none
    await call('GET', `/v1/people?gridId=${grid}`, { key: office }); // 4
    await call('GET', `/v1/people/${id}/history`, { key: office }); // no identifiers: none
    await call('PATCH', `/v1/people/${id}`, { key: office, body: { address: 'Building 10' } }); // 5
    // 6: the same PATCH again changes nothing and writes nothing — but its answer is raw too
    const again = await call('PATCH', `/v1/people/${id}`, { key: office, body: { address: 'Building 10' } });
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(2);
    const entries = await logOf(id);
    expect(entries).toHaveLength(6);
    expect(entries.map((e) => e.route).sort()).toEqual(
      [
        'POST /v1/people',
        'GET /v1/people/{personId}',
        'GET /v1/people/{personId}',
        'GET /v1/people',
        'PATCH /v1/people/{personId}',
        'PATCH /v1/people/{personId}',
      ].sort(),
    );
    expect(entries.every((e) => e.fields.join() === 'idNumber,phone')).toBe(true);
    expect(JSON.stringify(entries)).not.toMatch(/13812345678/);
    expect(JSON.stringify(entries)).not.toContain(registered.body.idNumber);
    const viewerKeyId = (await call('GET', '/v1/api-keys', { key: ws.adminKey })).body.items.find(
      (k: { role: string }) => k.role === 'viewer',
    ).keyId as string;
    expect(entries.some((e) => e.actor.keyId === viewerKeyId)).toBe(false);
  });

  it('lists one entry per person shown, names only the fields shown, and is readable per key', async () => {
    const a = (await call('POST', '/v1/people', { key: ws.adminKey, body: arrival(null) })).body
      .personId as string;
    const b = (await call('POST', '/v1/people', { key: ws.adminKey, body: arrival(null) })).body
      .personId as string;
    const lister = await ws.keyOf('office');
    const page = await call('GET', `/v1/people?gridId=${grid}&limit=100`, { key: lister });
    const shown = (page.body.items as { personId: string }[]).length;
    expect(shown).toBeGreaterThanOrEqual(3);
    for (const id of [a, b]) {
      const entries = await logOf(id);
      const listed = entries.filter((e) => e.route === 'GET /v1/people');
      expect(listed).toHaveLength(1);
      expect(listed[0]?.fields).toEqual(['idNumber']);
    }
    const keys = (await call('GET', '/v1/api-keys', { key: ws.adminKey })).body.items as {
      keyId: string;
      name: string;
    }[];
    const listerId = keys.at(-1)?.keyId as string;
    const perKey = await call('GET', `/v1/api-keys/${listerId}/access-log?limit=100`, { key: ws.adminKey });
    expect(perKey.status).toBe(200);
    expect(perKey.body.items).toHaveLength(shown);
  });

  it('is for admins only; another tenant’s person or key is 404', async () => {
    const id = (await call('POST', '/v1/people', { key: ws.adminKey, body: arrival(null) })).body.personId;
    expectProblem(await call('GET', `/v1/people/${id}/access-log`, { key: office }), 403);
    expectProblem(await call('GET', `/v1/people/${id}/access-log`, { key: viewer }), 403);
    const other = await signUp();
    expectProblem(await call('GET', `/v1/people/${id}/access-log`, { key: other.adminKey }), 404);
    expectProblem(
      await call('GET', '/v1/api-keys/k_01ARZ3NDEKTSV4RRFFQ69G5FAV/access-log', { key: ws.adminKey }),
      404,
    );
  });
});
