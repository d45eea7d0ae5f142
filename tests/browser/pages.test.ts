import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIn } from '../../shared/platform/dates.js';
import { call, nextIdNumber, type Township, township } from './support/api.js';
import { assertNoSeriousA11yViolations, screenshotBoth } from './support/checks.js';
import { addHouse, addLandlord, creditCode, eventually, signLetter } from './support/housing.js';
import {
  collectPageErrors,
  connectBrowser,
  consoleUrl,
  newContext,
  settle,
  signIn,
  signOut,
} from './support/session.js';

/**
 * Every page, as an administrator sees it with some data: axe-core finds no serious or
 * critical violation, and a screenshot at desktop and at phone width goes to
 * test-output/console/ (not committed; docs/console-dashboard.png is one of them).
 */
let browser: Browser;
let context: BrowserContext;
let page: Page;
let errors: string[];
let t: Township;
let personId: string;

beforeAll(async () => {
  t = await township('Qiaotou Township');
  const grids = [
    await t.grid('Grid 1', 'Xinhua Community'),
    await t.grid('Grid 2', 'Xinhua Community'),
    await t.grid('Grid 3', 'Dongfeng Community'),
  ];
  // A year of arrivals, some verified, one written off: the chart and the tables have content.
  const months = [
    '2025-12',
    '2026-01',
    '2026-02',
    '2026-03',
    '2026-04',
    '2026-05',
    '2026-06',
    '2026-07',
    '2026-08',
    '2026-09',
    '2026-10',
    '2026-11',
  ];
  const people: { personId: string; version: number }[] = [];
  for (const [i, month] of months.entries()) {
    for (let k = 0; k < 1 + (i % 3); k++) {
      const registered = await call('POST', '/v1/people', t.adminKey, {
        idNumber: nextIdNumber({
          birthDate: `19${80 + ((i + k) % 20)}-0${1 + (k % 9)}-1${k}`,
          sex: k % 2 ? 'male' : 'female',
        }),
        name: `Resident ${i}-${k}`,
        flow: (i + k) % 4 === 0 ? 'outflow' : 'inflow',
        gridId: grids[(i + k) % 3],
        address: `Block ${i + 1}, Room ${k + 1}01`,
        arrivedOn: `${month}-0${1 + k}`,
        maritalStatus: k % 2 ? 'single' : 'married',
      });
      if (registered.status !== 201) throw new Error(JSON.stringify(registered.body));
      people.push(registered.body);
    }
  }
  for (const p of people.slice(-6, -2)) {
    await call('POST', `/v1/people/${p.personId}/verifications`, t.adminKey, {
      verifiedOn: '2026-11-20',
      outcome: 'present',
    });
  }
  const leaving = people[people.length - 1]!;
  await call('POST', `/v1/people/${leaving.personId}/departure`, t.adminKey, {
    departedOn: '2026-11-25',
    reason: 'returned-home',
  });
  personId = people[people.length - 3]!.personId;
  await call('PATCH', `/v1/people/${personId}`, t.adminKey, {
    occupation: 'Electrician',
    phone: '13600002222',
  });
  await t.key('grid', [grids[0]!], 'Door chief Zhao');
  await t.key('viewer', undefined, 'Township leader');

  browser = await connectBrowser();
  context = await newContext(browser);
  page = await context.newPage();
  errors = collectPageErrors(page);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

async function check(name: string): Promise<void> {
  await settle(page);
  await assertNoSeriousA11yViolations(page, name);
  await screenshotBoth(page, name);
}

describe('every page', () => {
  it('has no serious accessibility violation, and is photographed at desktop and phone width', async () => {
    await page.goto(consoleUrl('/signin'));
    await check('sign-in');
    await page.goto(consoleUrl('/signup'));
    await check('sign-up');

    await signIn(page, t.adminKey);
    // The dashboard, once the statistics have caught up with the data above.
    await expect
      .poll(
        async () =>
          (await page.locator('.stat-card[data-stat="floatingPopulation"] .stat-value').textContent()) ?? '',
        {
          timeout: 15_000,
        },
      )
      .toBe('23');
    await page.locator('.chart-canvas canvas').waitFor();
    await check('dashboard');
    for (const [path, name] of [
      ['/people', 'people'],
      ['/people/due', 'people-due'],
      ['/people/new', 'people-register'],
      [`/people/${personId}`, 'person'],
      ['/grids', 'grids'],
      ['/api-keys', 'api-keys'],
      ['/settings', 'settings'],
      ['/reconciliations', 'reconciliations'],
      ['/no-such-page', 'not-found'],
    ] as const) {
      await page.goto(consoleUrl(path));
      await check(name);
    }
    // The person page with its actions open.
    await page.goto(consoleUrl(`/people/${personId}`));
    await settle(page);
    await page.locator('button[data-action="edit"]').click();
    await check('person-edit');
    await signOut(page);
    expect(errors).toEqual([]);
  });
  it('every housing page: no serious accessibility violation, photographed at both widths', async () => {
    // A grid's houses in two buildings (one over-occupied, one discovered, one closed, one
    // banned with its occupant), two landlords, letters of two kinds.
    const resident = (await call('GET', `/v1/people/${personId}`, t.adminKey)).body;
    const today = todayIn('Asia/Shanghai');
    const gridId = resident.gridId as string;
    const owner = await addLandlord(t.adminKey, { name: 'Zhang Wei' });
    await addLandlord(t.adminKey, {
      kind: 'organisation',
      name: 'Riverside Property Co.',
      idNumber: undefined,
      creditCode: creditCode('91350100M00010042'),
      legalRepresentative: 'Lin Hua',
    });
    const rooms: [string, string, string][] = [
      ['3', '5', '501'],
      ['3', '5', '502'],
      ['3', '4', '401'],
      ['3', '4', '402'],
      ['5', '2', '201'],
    ];
    const houses = [];
    for (const [building, floor, room] of rooms) {
      houses.push(
        await addHouse(t.adminKey, gridId, {
          landlordId: owner.landlordId,
          address: { estate: 'Xingfu Estate', building, unit: room.endsWith('1') ? '1' : '2', floor, room },
          monthlyRent: 1500,
          area: 62.5,
          maxOccupants: room === '402' ? 1 : 4,
        }),
      );
    }
    await addHouse(t.adminKey, gridId, {
      status: 'discovered',
      address: { estate: 'Xingfu Estate', building: '5', unit: '2', floor: '2', room: '202' },
    });
    const closed = await addHouse(t.adminKey, gridId, {
      landlordId: owner.landlordId,
      address: { estate: 'Old Street', building: '1', floor: '1', room: '1' },
    });
    const closing = await call(
      'POST',
      `/v1/houses/${closed.houseId}/closure`,
      t.adminKey,
      { reason: 'demolished', closedOn: today },
      { 'if-match': `"${closed.version}"` },
    );
    expect(closing.status, JSON.stringify(closing.body)).toBe(200);
    const home = houses[0]!;
    const letter = await signLetter(t.adminKey, home.houseId, {
      kind: 'landlord',
      landlordId: owner.landlordId,
    });
    await signLetter(
      t.adminKey,
      houses[1]!.houseId,
      { kind: 'landlord', landlordId: owner.landlordId },
      { kind: 'fire-safety-pledge' },
    );
    // The resident lives in the first house; two more crowd into 402 (at most 1), which is banned.
    expect(
      (await call('PATCH', `/v1/people/${personId}`, t.adminKey, { houseId: home.houseId })).status,
    ).toBe(200);
    const crowded = houses[3]!;
    const active = (await call('GET', `/v1/people?gridId=${gridId}&status=active&limit=10`, t.adminKey)).body
      .items as { personId: string }[];
    for (const p of active.filter((p) => p.personId !== personId).slice(0, 2)) {
      expect(
        (await call('PATCH', `/v1/people/${p.personId}`, t.adminKey, { houseId: crowded.houseId })).status,
      ).toBe(200);
    }
    const ban = await call(
      'POST',
      `/v1/houses/${crowded.houseId}/ban`,
      t.adminKey,
      {
        reason: 'Rooms partitioned without a permit',
        basis: 'Township notice 2026-17',
        bannedOn: today,
      },
      { 'if-match': `"${crowded.version}"` },
    );
    expect(ban.status, JSON.stringify(ban.body)).toBe(200);
    await eventually(
      () => call('GET', '/v1/houses/banned-occupied', t.adminKey),
      (r) => (r.body?.items?.length ?? 0) > 0,
    );

    await signIn(page, t.adminKey);
    for (const [path, name] of [
      ['/houses', 'housing-houses'],
      [`/houses/buildings?gridId=${gridId}`, 'housing-buildings'],
      ['/houses/new', 'housing-house-new'],
      [`/houses/${home.houseId}`, 'housing-house'],
      [`/houses/${crowded.houseId}`, 'housing-house-banned'],
      ['/landlords', 'housing-landlords'],
      [`/landlords/${owner.landlordId}`, 'housing-landlord'],
      ['/landlords/new', 'housing-landlord-new'],
      ['/letters', 'housing-letters'],
      ['/letters/expiring', 'housing-letters-expiring'],
      [`/letters/${letter.letterId}`, 'housing-letter'],
      ['/houses/banned-occupied', 'housing-banned-occupied'],
      ['/houses/lapsed-letters', 'housing-lapsed-letters'],
      ['/', 'housing-dashboard'],
    ] as const) {
      await page.goto(consoleUrl(path));
      await check(name);
    }
    // Forms and panels open: the house's edit form, the banned worklist's occupants, a revocation.
    await page.goto(consoleUrl(`/houses/${home.houseId}`));
    await settle(page);
    await page.locator('button[data-action="edit"]').click();
    await check('housing-house-edit');
    await page.goto(consoleUrl('/houses/banned-occupied'));
    await settle(page);
    await page.locator('button[data-action="occupants"]').first().click();
    await page.locator('[data-table="occupants"]').first().waitFor();
    await check('housing-banned-occupied-open');
    await page.goto(consoleUrl(`/letters/${letter.letterId}`));
    await settle(page);
    await page.locator('button[data-action="revoke"]').click();
    await page.locator('#revoke-reason').fill('Signed by the wrong person');
    await check('housing-letter-revoke');
    await page.locator('form[data-form="revoke"] button[type="submit"]').click();
    await expect
      .poll(() =>
        page.locator('[data-field="status"] [data-letter-status]').getAttribute('data-letter-status'),
      )
      .toBe('revoked');
    expect(await page.locator('main').textContent()).toContain('Signed by the wrong person');
    await signOut(page);
    expect(errors).toEqual([]);
  });
});
