import { beforeAll, describe, expect, it } from 'vitest';
import { todayIn } from '../../../shared/platform/dates.js';
import { idNumberFor } from '../../support/people.js';
import { call, expectProblem, signUp, type Workspace } from '../support/api.js';

/**
 * Who saw a landlord's identity (and a house's contacts' phones), over HTTP: every response that
 * carried a landlord's raw ID number or phone leaves exactly one entry beside that landlord (key,
 * route, when, which fields — never the values); a masked response leaves none. The same entries
 * are listed per API key, beside people's. Another township's landlord is 404.
 */
const today = todayIn('Asia/Shanghai');
let ws: Workspace;
let grid: string;
let office: string;
let viewer: string;
let gridKey: string;
let n = 0;

const LANDLORD_PHONE = '13712348765';
const CARETAKER_PHONE = '13698761234';

const landlordBody = () => ({
  kind: 'individual',
  name: 'Landlord Audit',
  idNumber: idNumberFor('male', `1968-05-${String((n++ % 28) + 1).padStart(2, '0')}`),
  phone: LANDLORD_PHONE,
  address: 'Landlord Street 8',
});

const houseBody = (landlordId: string, over: Record<string, unknown> = {}) => ({
  gridId: grid,
  status: 'registered',
  address: { estate: 'Audit Estate', building: String(n++) },
  plaque: `AUDIT-${process.pid}-${Date.now()}-${n++}`,
  houseType: 'suite',
  use: 'dwelling',
  lettingMode: 'whole',
  managementClass: 'B',
  landlordId,
  registeredOn: today,
  ...over,
});

interface Entry {
  at: string;
  subject: { kind: string; landlordId?: string; houseId?: string; personId?: string };
  personId?: string;
  actor: { keyId: string; name: string };
  route: string;
  fields: string[];
}

const logOf = async (path: string): Promise<Entry[]> => {
  const res = await call('GET', `${path}/access-log?limit=100`, { key: ws.adminKey });
  expect(res.status, res.text).toBe(200);
  return res.body.items as Entry[];
};

const keyIdOf = async (name: string): Promise<string> => {
  const keys = (await call('GET', '/v1/api-keys', { key: ws.adminKey })).body.items as {
    keyId: string;
    name: string;
  }[];
  const found = keys.find((k) => k.name === name);
  if (!found) throw new Error(`no key named ${name}`);
  return found.keyId;
};

const newLandlord = async (key = ws.adminKey): Promise<{ landlordId: string; idNumber: string }> => {
  const res = await call('POST', '/v1/landlords', { key, body: landlordBody() });
  expect(res.status, res.text).toBe(201);
  return res.body;
};

beforeAll(async () => {
  ws = await signUp('Landlord Audit Township');
  grid = await ws.grid('Landlord audit grid');
  office = await ws.keyOf('office');
  viewer = await ws.keyOf('viewer');
  gridKey = await ws.keyOf('grid', [grid]);
});

describe('the landlord access log', () => {
  it('counts exactly the responses that carried a raw ID number or phone; none for masked ones', async () => {
    const created = await call('POST', '/v1/landlords', { key: office, body: landlordBody() }); // 1
    expect(created.status).toBe(201);
    expect(created.body.phone).toBe(LANDLORD_PHONE);
    const id = created.body.landlordId as string;
    const path = `/v1/landlords/${id}`;

    // negative control first: masked answers leave nothing
    const masked = await call('GET', path, { key: viewer });
    expect(masked.status).toBe(200);
    expect(masked.body.phone).not.toBe(LANDLORD_PHONE);
    expect((await call('GET', '/v1/landlords?limit=100', { key: viewer })).status).toBe(200);
    const gridList = await call('GET', '/v1/landlords?limit=100', { key: gridKey }); // lists masked for grid keys
    expect(gridList.body.items.find((l: { landlordId: string }) => l.landlordId === id).phone).not.toBe(
      LANDLORD_PHONE,
    );
    expect((await call('GET', `${path}/history`, { key: office })).status).toBe(200); // no identifiers
    expect((await call('GET', `${path}/houses`, { key: office })).status).toBe(200); // houses, not the landlord
    expect(await logOf(path)).toHaveLength(1); // the creation only

    // raw answers leave one each
    const raw = await call('GET', path, { key: office }); // 2
    expect(raw.body.phone).toBe(LANDLORD_PHONE);
    await call('GET', path, { key: gridKey }); // 3: a grid key sees one record raw
    const list = await call('GET', '/v1/landlords?limit=100', { key: office }); // 4
    expect(list.body.items.some((l: { landlordId: string }) => l.landlordId === id)).toBe(true);
    const patched = await call('PATCH', path, { key: office, body: { address: 'Landlord Street 9' } }); // 5
    expect(patched.status).toBe(200);
    // a PATCH changing nothing still answers the landlord raw: 6
    expect((await call('PATCH', path, { key: office, body: { address: 'Landlord Street 9' } })).status).toBe(
      200,
    );

    const entries = await logOf(path);
    expect(entries).toHaveLength(6);
    expect(entries.map((e) => e.route).sort()).toEqual(
      [
        'POST /v1/landlords',
        'GET /v1/landlords/{landlordId}',
        'GET /v1/landlords/{landlordId}',
        'GET /v1/landlords',
        'PATCH /v1/landlords/{landlordId}',
        'PATCH /v1/landlords/{landlordId}',
      ].sort(),
    );
    expect(entries.every((e) => e.fields.join() === 'idNumber,phone')).toBe(true);
    expect(entries.every((e) => e.subject.kind === 'landlord' && e.subject.landlordId === id)).toBe(true);
    const viewerKeyId = await keyIdOf('viewer key');
    expect(entries.some((e) => e.actor.keyId === viewerKeyId)).toBe(false);
    // newest first
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort().reverse());
    const text = JSON.stringify(entries);
    expect(text).not.toContain(LANDLORD_PHONE);
    expect(text).not.toContain(created.body.idNumber);
    expect(text).not.toContain('Landlord Audit');
  });

  it('pages like the person’s log', async () => {
    const { landlordId } = await newLandlord();
    for (let i = 0; i < 2; i++) await call('GET', `/v1/landlords/${landlordId}`, { key: ws.adminKey });
    const first = await call('GET', `/v1/landlords/${landlordId}/access-log?limit=2`, { key: ws.adminKey });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await call(
      'GET',
      `/v1/landlords/${landlordId}/access-log?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      { key: ws.adminKey },
    );
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    expect(second.body.items[0].route).toBe('POST /v1/landlords');
  });

  it('houses: an answer showing a caretaker’s phone raw leaves one entry beside the house', async () => {
    const { landlordId } = await newLandlord();
    const created = await call('POST', '/v1/houses', {
      key: office,
      body: houseBody(landlordId, { caretaker: { name: 'Care Taker', phone: CARETAKER_PHONE } }),
    }); // 1
    expect(created.status, created.text).toBe(201);
    const houseId = created.body.houseId as string;
    const bare = await call('POST', '/v1/houses', { key: office, body: houseBody(landlordId) });
    expect(bare.status).toBe(201);
    await call('GET', `/v1/houses/${houseId}`, { key: viewer }); // masked: none
    await call('GET', `/v1/houses?gridId=${grid}&limit=100`, { key: gridKey }); // masked in lists: none
    await call('GET', `/v1/houses/${houseId}`, { key: gridKey }); // 2
    await call('GET', `/v1/houses?gridId=${grid}&limit=100`, { key: office }); // 3
    await call('GET', `/v1/landlords/${landlordId}/houses`, { key: office }); // 4
    const inspected = await call('POST', `/v1/houses/${houseId}/inspections`, {
      key: gridKey,
      body: { inspectedOn: today, findings: 'fine' },
    }); // 5
    expect(inspected.status, inspected.text).toBe(200);
    const entries = await logOf(`/v1/houses/${houseId}`);
    expect(entries.map((e) => e.route).sort()).toEqual(
      [
        'POST /v1/houses',
        'GET /v1/houses/{houseId}',
        'GET /v1/houses',
        'GET /v1/landlords/{landlordId}/houses',
        'POST /v1/houses/{houseId}/inspections',
      ].sort(),
    );
    expect(entries.every((e) => e.fields.join() === 'caretaker.phone')).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(CARETAKER_PHONE);
    // a house without contacts shows no phone: no entry, whoever reads it
    expect(await logOf(`/v1/houses/${bare.body.houseId}`)).toHaveLength(0);
  });

  it('the key’s access log lists person and landlord entries alike', async () => {
    const minted = await call('POST', '/v1/api-keys', {
      key: ws.adminKey,
      body: { name: 'auditor', role: 'office' },
    });
    const auditor = minted.body.apiKey as string;
    const auditorId = await keyIdOf('auditor');
    const { landlordId } = await newLandlord();
    const person = await call('POST', '/v1/people', {
      key: ws.adminKey,
      body: {
        idNumber: idNumberFor('female', '1991-07-09'),
        name: 'Person Audit',
        flow: 'inflow',
        gridId: grid,
        address: 'Building 3',
        arrivedOn: today,
        maritalStatus: 'single',
      },
    });
    expect(person.status, person.text).toBe(201);
    await call('GET', `/v1/landlords/${landlordId}`, { key: auditor });
    await call('GET', `/v1/people/${person.body.personId}`, { key: auditor });
    const perKey = await call('GET', `/v1/api-keys/${auditorId}/access-log?limit=100`, { key: ws.adminKey });
    expect(perKey.status).toBe(200);
    const items = perKey.body.items as Entry[];
    expect(items.map((e) => e.subject.kind)).toEqual(['person', 'landlord']); // newest first
    const [personEntry, landlordEntry] = items;
    // a person's entry keeps its contract (personId) and names its subject
    expect(personEntry).toMatchObject({
      personId: person.body.personId,
      subject: { kind: 'person', personId: person.body.personId },
      route: 'GET /v1/people/{personId}',
      fields: ['idNumber'],
    });
    expect(landlordEntry).toMatchObject({
      subject: { kind: 'landlord', landlordId },
      actor: { keyId: auditorId, name: 'auditor' },
      route: 'GET /v1/landlords/{landlordId}',
      fields: ['idNumber', 'phone'],
    });
    expect(landlordEntry).not.toHaveProperty('personId');
  });

  it('is for admins only; another tenant’s landlord is 404', async () => {
    const { landlordId } = await newLandlord();
    for (const key of [office, gridKey, viewer])
      expectProblem(await call('GET', `/v1/landlords/${landlordId}/access-log`, { key }), 403);
    const other = await signUp();
    expectProblem(await call('GET', `/v1/landlords/${landlordId}/access-log`, { key: other.adminKey }), 404);
    expectProblem(await call('GET', `/v1/landlords/${landlordId}`, { key: other.adminKey }), 404);
    expectProblem(
      await call('GET', '/v1/landlords/l_01ARZ3NDEKTSV4RRFFQ69G5FAV/access-log', { key: ws.adminKey }),
      404,
    );
    // the refused and not-found reads wrote nothing: the creation's entry only
    expect(await logOf(`/v1/landlords/${landlordId}`)).toHaveLength(1);
  });
});
