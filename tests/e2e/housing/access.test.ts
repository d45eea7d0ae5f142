import { beforeAll, describe, expect, it } from 'vitest';
import { maskIdNumber, maskPhone } from '../../../shared/modules/people/rules/id-number.js';
import { addDays } from '../../../shared/platform/dates.js';
import { type ApiResponse, call, expectProblem } from '../support/api.js';
import { personalDataIn } from '../support/pii-scan.js';
import {
  createHouse,
  type HousingTownship,
  houseBody,
  housingTownship,
  individualLandlord,
  ok,
  organisationLandlord,
  personBody,
  today,
} from './fixture.js';

/**
 * Roles and scopes of the housing routes (docs/housing.md, "Routes" and "Landlord"): grid keys
 * record and read only in their grids (403 elsewhere); viewers read everything masked — no raw
 * landlord ID number or phone in any of their answers; another township's ids are 404.
 */

let t: HousingTownship;
let houseA: { houseId: string };
let houseB: { houseId: string };
let discoveredB: { houseId: string };
let letterB: { letterId: string };
let organisation: ReturnType<typeof organisationLandlord>;
let organisationId: string;
const caretakerPhone = '13655556666';

beforeAll(async () => {
  t = await housingTownship('Access Township');
  organisation = organisationLandlord();
  organisationId = ok(await call('POST', '/v1/landlords', { key: t.office, body: organisation })).landlordId;
  [houseA, houseB, discoveredB] = await Promise.all([
    createHouse(t.ws.adminKey, t.gridA, {
      landlordId: t.landlordId,
      caretaker: { name: 'Caretaker Fang', phone: caretakerPhone },
    }),
    createHouse(t.ws.adminKey, t.gridB, { landlordId: organisationId }),
    createHouse(t.ws.adminKey, t.gridB, { status: 'discovered' }),
  ]);
  letterB = ok(
    await call('POST', '/v1/letters', {
      key: t.ws.adminKey,
      body: {
        kind: 'security-responsibility',
        party: { kind: 'landlord', landlordId: organisationId },
        houseId: houseB.houseId,
        signedOn: today,
        validFrom: today,
        validUntil: addDays(today, 364),
      },
    }),
  );
});

describe('grid keys work only in their grids', () => {
  it('records and reads houses, inspections and letters in grid A, and gets 403 for grid B', async () => {
    const key = t.gridKeyA;
    // In its grid: a house, an inspection, a landlord met at the door, a letter.
    const mine = await call('POST', '/v1/houses', {
      key,
      body: houseBody(t.gridA, { status: 'discovered' }),
    });
    expect(mine.status, mine.text).toBe(201);
    expect((await call('GET', `/v1/houses/${houseA.houseId}`, { key })).status).toBe(200);
    const inspected = await call('POST', `/v1/houses/${houseA.houseId}/inspections`, {
      key,
      body: { inspectedOn: today, findings: 'Fire extinguisher present' },
    });
    expect(inspected.status, inspected.text).toBe(200);
    expect(inspected.body.lastInspectedOn).toBe(today);
    expect((await call('POST', '/v1/landlords', { key, body: individualLandlord() })).status).toBe(201);
    const registered = await call('POST', `/v1/houses/${mine.body.houseId}/registration`, {
      key,
      body: { landlordId: t.landlordId },
    });
    expect(registered.status, registered.text).toBe(200);
    expect(registered.body.status).toBe('registered');

    // Grid B: 403 problems, whatever the route.
    const forbidden: [string, string, unknown?][] = [
      ['POST', '/v1/houses', houseBody(t.gridB, { landlordId: t.landlordId })],
      ['GET', `/v1/houses/${houseB.houseId}`],
      ['GET', `/v1/houses/${houseB.houseId}/history`],
      ['GET', `/v1/houses?gridId=${t.gridB}`],
      ['POST', `/v1/houses/${houseB.houseId}/inspections`, { inspectedOn: today, findings: 'x' }],
      ['POST', `/v1/houses/${discoveredB.houseId}/registration`, { landlordId: t.landlordId }],
      ['GET', `/v1/people?houseId=${houseB.houseId}`],
      ['GET', `/v1/letters/${letterB.letterId}`],
      [
        'POST',
        '/v1/letters',
        {
          kind: 'guarantee',
          party: { kind: 'landlord', landlordId: t.landlordId },
          houseId: houseB.houseId,
          signedOn: today,
          validFrom: today,
          validUntil: addDays(today, 30),
        },
      ],
      ['POST', '/v1/people', personBody(t.gridB, { houseId: houseB.houseId })],
    ];
    for (const [method, path, body] of forbidden) {
      const res = await call(method, path, { key, ...(body !== undefined ? { body } : {}) });
      expect(`${method} ${path} → ${res.status}`).toBe(`${method} ${path} → 403`);
      expectProblem(res, 403);
    }

    // Lists show grid A only.
    const houses = await call('GET', '/v1/houses', { key });
    expect(houses.status).toBe(200);
    expect(new Set(houses.body.items.map((h: { gridId: string }) => h.gridId))).toEqual(new Set([t.gridA]));
    const ofOrganisation = await call('GET', `/v1/landlords/${organisationId}/houses`, { key });
    expect(ofOrganisation.status).toBe(200);
    expect(ofOrganisation.body.items).toEqual([]);
  });

  it('only admin and office keys ban, lift, close, reopen and change (grid and viewer keys: 403)', async () => {
    const ban = { reason: 'Illegal rental', basis: 'Art. 12', bannedOn: today };
    for (const key of [t.gridKeyA, t.viewer]) {
      for (const [method, path, body] of [
        ['POST', `/v1/houses/${houseA.houseId}/ban`, ban],
        ['POST', `/v1/houses/${houseA.houseId}/closure`, { reason: 'letting-stopped', closedOn: today }],
        ['PATCH', `/v1/houses/${houseA.houseId}`, { monthlyRent: 1_500 }],
        ['PATCH', `/v1/landlords/${t.landlordId}`, { address: 'New Road 1' }],
      ] as const) {
        const res = await call(method, path, { key, body });
        expect(`${method} ${path} → ${res.status}`).toBe(`${method} ${path} → 403`);
      }
    }
    for (const [path, body] of [
      ['/v1/houses', houseBody(t.gridA, { landlordId: t.landlordId })],
      ['/v1/landlords', individualLandlord()],
    ] as const) {
      expect((await call('POST', path, { key: t.viewer, body })).status).toBe(403);
    }
    // The office may: ban, lift, and the house is registered again.
    const banned = await call('POST', `/v1/houses/${houseA.houseId}/ban`, { key: t.office, body: ban });
    expect(banned.status, banned.text).toBe(200);
    const lifted = await call('POST', `/v1/houses/${houseA.houseId}/lift`, {
      key: t.office,
      body: { liftedOn: today },
    });
    expect(lifted.status, lifted.text).toBe(200);
    expect(lifted.body).toMatchObject({ status: 'registered', ban: null });
    const history = await call('GET', `/v1/houses/${houseA.houseId}/history`, { key: t.office });
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['banned', 'lifted']),
    );
  });
});

describe('viewers read everything masked', () => {
  it('never see a raw landlord ID number or phone in any answer', async () => {
    const raw = [t.landlord.idNumber, t.landlord.phone, organisation.phone, caretakerPhone];
    const answers: ApiResponse[] = [];
    for (const path of [
      '/v1/landlords',
      `/v1/landlords?q=${encodeURIComponent(t.landlord.name)}`,
      `/v1/landlords/${t.landlordId}`,
      `/v1/landlords/${organisationId}`,
      `/v1/landlords/${t.landlordId}/houses`,
      '/v1/houses',
      `/v1/houses/${houseA.houseId}`,
      `/v1/houses/${houseB.houseId}`,
      '/v1/houses/banned-occupied',
      '/v1/houses/lapsed-letters',
      '/v1/letters',
      `/v1/letters/${letterB.letterId}`,
    ]) {
      const res = await call('GET', path, { key: t.viewer });
      expect(`${path} → ${res.status}`).toBe(`${path} → 200`);
      answers.push(res);
    }
    const all = answers.map((a) => a.text).join('\n');
    for (const value of raw) expect(all).not.toContain(value);
    expect(personalDataIn(all)).toEqual([]);

    // Masked, not left out: the viewer sees that there is an ID number and a phone.
    const landlord = answers[2]?.body;
    expect(landlord).toMatchObject({
      landlordId: t.landlordId,
      idNumber: maskIdNumber(t.landlord.idNumber),
      phone: maskPhone(t.landlord.phone),
    });
    expect(answers[6]?.body.caretaker).toEqual({ name: 'Caretaker Fang', phone: maskPhone(caretakerPhone) });
    // An organisation's credit code is not personal data: shown as it is; its phone masked.
    expect(answers[3]?.body).toMatchObject({
      creditCode: organisation.creditCode,
      phone: maskPhone(organisation.phone),
    });
    // Negative control: the admin's answer carries them raw, and the same check finds them.
    const admin = await call('GET', `/v1/landlords/${t.landlordId}`, { key: t.ws.adminKey });
    expect(admin.body).toMatchObject({ idNumber: t.landlord.idNumber, phone: t.landlord.phone });
    expect(personalDataIn(admin.text).length).toBeGreaterThan(0);
  });

  it('grid keys see a landlord’s identifiers on the landlord’s page, not in lists', async () => {
    const page = await call('GET', `/v1/landlords/${t.landlordId}`, { key: t.gridKeyA });
    expect(page.body).toMatchObject({ idNumber: t.landlord.idNumber, phone: t.landlord.phone });
    const list = await call('GET', '/v1/landlords?limit=100', { key: t.gridKeyA });
    const listed = list.body.items.find((l: { landlordId: string }) => l.landlordId === t.landlordId);
    expect(listed).toMatchObject({ idNumber: maskIdNumber(t.landlord.idNumber) });
    expect(list.text).not.toContain(t.landlord.idNumber);
  });
});

describe('identifiers', () => {
  it('one landlord per ID number or credit code (409 naming the existing one); invalid ones refused', async () => {
    const again = await call('POST', '/v1/landlords', {
      key: t.office,
      body: { ...t.landlord, name: 'Someone else' },
    });
    expectProblem(again, 409);
    expect(again.body.landlordId).toBe(t.landlordId);
    const sameOrg = await call('POST', '/v1/landlords', {
      key: t.office,
      body: { ...organisation, creditCode: organisation.creditCode.toLowerCase() },
    });
    expectProblem(sameOrg, 409);
    expect(sameOrg.body.landlordId).toBe(organisationId);

    const badCheck =
      organisation.creditCode.slice(0, 17) + (organisation.creditCode.endsWith('0') ? '1' : '0');
    const refused = await call('POST', '/v1/landlords', {
      key: t.office,
      body: organisationLandlord({ creditCode: badCheck }),
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(refused.text).toContain('creditCode');
    const badId = `${t.landlord.idNumber.slice(0, 17)}${t.landlord.idNumber.endsWith('0') ? '1' : '0'}`;
    const refusedId = await call('POST', '/v1/landlords', {
      key: t.office,
      body: individualLandlord({ idNumber: badId }),
    });
    expect(refusedId.status).toBeGreaterThanOrEqual(400);
    expect(refusedId.text).toContain('idNumber');

    const plaque = houseBody(t.gridA, { landlordId: t.landlordId });
    expect((await call('POST', '/v1/houses', { key: t.office, body: plaque })).status).toBe(201);
    expectProblem(await call('POST', '/v1/houses', { key: t.office, body: { ...plaque } }), 409);
  });
});

describe('another township’s ids', () => {
  it('are 404 in every housing route, never 403, never data', async () => {
    const key = t.other.adminKey;
    const paths: [string, string, unknown?][] = [
      ['GET', `/v1/houses/${houseA.houseId}`],
      ['GET', `/v1/houses/${houseA.houseId}/history`],
      ['PATCH', `/v1/houses/${houseA.houseId}`, { monthlyRent: 1 }],
      ['POST', `/v1/houses/${houseA.houseId}/ban`, { reason: 'x', basis: 'y', bannedOn: today }],
      ['POST', `/v1/houses/${houseA.houseId}/inspections`, { inspectedOn: today, findings: 'x' }],
      ['POST', `/v1/houses/${discoveredB.houseId}/registration`, {}],
      ['GET', `/v1/houses/${houseA.houseId}/access-log`],
      ['GET', `/v1/landlords/${t.landlordId}`],
      ['GET', `/v1/landlords/${t.landlordId}/houses`],
      ['GET', `/v1/landlords/${t.landlordId}/access-log`],
      ['PATCH', `/v1/landlords/${t.landlordId}`, { address: 'x' }],
      ['GET', `/v1/letters/${letterB.letterId}`],
      ['GET', `/v1/letters/${letterB.letterId}/history`],
      ['POST', `/v1/letters/${letterB.letterId}/revocation`, { reason: 'x' }],
      ['GET', `/v1/people?houseId=${houseA.houseId}`],
      ['GET', `/v1/houses?landlordId=${t.landlordId}`],
    ];
    for (const [method, path, body] of paths) {
      const res = await call(method, path, { key, ...(body !== undefined ? { body } : {}) });
      expect(`${method} ${path} → ${res.status}`).toBe(`${method} ${path} → 404`);
      expectProblem(res, 404);
      expect(res.text).not.toContain(t.landlord.name);
    }
    // Their lists are their own.
    for (const path of ['/v1/houses', '/v1/landlords', '/v1/letters']) {
      const res = await call('GET', path, { key });
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
    }
  });
});
