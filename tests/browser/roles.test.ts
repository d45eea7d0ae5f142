import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Township, township } from './support/api.js';
import { assertNoRawIdNumbers, assertNoSeriousA11yViolations } from './support/checks.js';
import {
  collectPageErrors,
  connectBrowser,
  consoleUrl,
  navTo,
  newContext,
  settle,
  signIn,
  signOut,
} from './support/session.js';

/**
 * What each role sees: a viewer never an unmasked ID number, a grid key only its grids, and
 * no role a button for something it may not do. Data is arranged through the API.
 */
let browser: Browser;
let context: BrowserContext;
let page: Page;
let errors: string[];
let t: Township;
let grid1: string;
let grid2: string;
let inGrid1: { personId: string; idNumber: string };
let inGrid2: { personId: string; idNumber: string };

beforeAll(async () => {
  t = await township('Roles Township');
  grid1 = await t.grid('North Grid', 'Riverside');
  grid2 = await t.grid('South Grid', 'Hillside');
  inGrid1 = await t.register(grid1, { name: 'Chen Jing' });
  inGrid2 = await t.register(grid2, { name: 'Zhou Lei', arrivedOn: '2025-01-05' });
  browser = await connectBrowser();
  context = await newContext(browser);
  page = await context.newPage();
  errors = collectPageErrors(page);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

const navHrefs = (p: Page) =>
  p.locator('nav.mainnav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));

describe('role views', () => {
  it('a viewer sees no raw ID number on any page, and no button for a change', async () => {
    await signIn(page, await t.key('viewer'));
    expect(await navHrefs(page)).toEqual(['/', '/people', '/people/due', '/houses', '/grids', '/settings']);
    const pages = ['/', '/people', '/people/due', `/people/${inGrid1.personId}`, '/grids', '/settings'];
    for (const path of pages) {
      await page.goto(consoleUrl(path));
      await settle(page);
      await assertNoRawIdNumbers(page, `viewer ${path}`);
      await assertNoSeriousA11yViolations(page, `viewer ${path}`);
    }
    // The person page: masked identifiers, no actions, no history (viewers may not read it).
    await page.goto(consoleUrl(`/people/${inGrid1.personId}`));
    await settle(page);
    expect(await page.locator('[data-field="idNumber"]').textContent()).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(await page.locator('[data-field="phone"]').textContent()).toBe('138****5678');
    expect(await page.locator('button[data-action]').count()).toBe(0);
    expect(await page.locator('#history-title').count()).toBe(0);
    // No look-up by ID number, no registering, no grid creation, settings read-only.
    await navTo(page, '/people');
    await settle(page);
    expect(await page.locator('#findIdNumber').count()).toBe(0);
    expect(await page.locator('a[href="/people/new"]').count()).toBe(0);
    await navTo(page, '/grids');
    expect(await page.locator('#community').count()).toBe(0);
    await navTo(page, '/settings');
    await settle(page);
    expect(await page.locator('input').count()).toBe(0);
    // A page the role may not use is refused in words, not shown.
    await page.goto(consoleUrl('/api-keys'));
    await page.locator('#page-title').waitFor();
    expect(await page.locator('#page-title').textContent()).toBe('此密钥无权使用');
    await signOut(page);
  });

  it('a grid key sees only its grids and may verify but not write off, edit or register', async () => {
    await signIn(page, await t.key('grid', [grid1]));
    expect(await navHrefs(page)).toEqual(['/', '/people', '/people/due', '/houses', '/grids', '/settings']);
    expect(await page.locator('tr[data-grid]').count()).toBe(1);
    expect(await page.locator(`tr[data-grid="${grid1}"]`).count()).toBe(1);
    expect(await page.locator('body').textContent()).not.toContain('South Grid');
    await navTo(page, '/people');
    await settle(page);
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).toContain('Chen Jing');
    expect(body).not.toContain('Zhou Lei');
    expect(body).not.toContain('Hillside');
    expect(
      await page.locator('#filter-grid option').evaluateAll((os) => os.map((o) => o.getAttribute('value'))),
    ).toEqual(['', grid1]);
    expect(await page.locator('a[href="/people/new"]').count()).toBe(0);
    await navTo(page, '/grids');
    await settle(page);
    expect(await page.locator('tr[data-grid]').count()).toBe(1);
    // Its person: verify only.
    await page.goto(consoleUrl(`/people/${inGrid1.personId}`));
    await settle(page);
    expect(
      await page
        .locator('button[data-action]')
        .evaluateAll((bs) => bs.map((b) => b.getAttribute('data-action'))),
    ).toEqual(['verify']);
    await assertNoSeriousA11yViolations(page, 'grid key: person');
    // Another grid's person: refused.
    await page.goto(consoleUrl(`/people/${inGrid2.personId}`));
    await page.locator('.alert').waitFor();
    expect(await page.locator('.alert').textContent()).toContain('不能使用此页面');
    expect(await page.locator('body').textContent()).not.toContain('Zhou Lei');
    await signOut(page);
  });

  it('an office key registers and changes people but manages no keys, grids or reconciliations', async () => {
    await signIn(page, await t.key('office'));
    expect(await navHrefs(page)).toEqual([
      '/',
      '/people',
      '/people/due',
      '/people/new',
      '/houses',
      '/grids',
      '/settings',
    ]);
    await page.goto(consoleUrl(`/people/${inGrid2.personId}`));
    await settle(page);
    expect(
      await page
        .locator('button[data-action]')
        .evaluateAll((bs) => bs.map((b) => b.getAttribute('data-action'))),
    ).toEqual(['verify', 'writeOff', 'edit']);
    expect(await page.locator('#history-title').count()).toBe(1);
    await navTo(page, '/grids');
    expect(await page.locator('#community').count()).toBe(0);
    await signOut(page);
    expect(errors.filter((e) => !/403/.test(e))).toEqual([]);
  });
});
