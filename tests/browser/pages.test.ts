import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, nextIdNumber, type Township, township } from './support/api.js';
import { assertNoSeriousA11yViolations, screenshotBoth } from './support/checks.js';
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
});
