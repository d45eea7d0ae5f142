import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIn } from '../../shared/platform/dates.js';
import { call, nextIdNumber, type Township, township } from './support/api.js';
import { assertNoSeriousA11yViolations } from './support/checks.js';
import { addHouse, addLandlord } from './support/housing.js';
import { connectBrowser, consoleUrl, newContext, settle, signIn } from './support/session.js';

/**
 * People live in houses (docs/housing.md, "Occupancy"): the people pages name the house — the
 * register form offers the open houses of the chosen grid only, the person's page links to the
 * house, and a refusal of the API (a banned house) is shown next to the house field.
 */
const today = todayIn('Asia/Shanghai');
let browser: Browser;
let context: BrowserContext;
let page: Page;
let t: Township;
let east: string;
let west: string;

beforeAll(async () => {
  t = await township('House Field Township');
  east = await t.grid('East Grid', 'Harbour');
  west = await t.grid('West Grid', 'Harbour');
  browser = await connectBrowser();
  context = await newContext(browser);
  page = await context.newPage();
  await signIn(page, t.adminKey);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

async function optionValues(id: string): Promise<string[]> {
  return page
    .locator(`#${id} option`)
    .evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
}

describe('the house a person lives in', () => {
  it('offers the chosen grid’s open houses, registers into one, links to it, and shows a refusal at the field', async () => {
    const { landlordId } = await addLandlord(t.adminKey);
    const open = await addHouse(t.adminKey, east, { landlordId });
    const banned = await addHouse(t.adminKey, east, { landlordId });
    const elsewhere = await addHouse(t.adminKey, west, { landlordId });
    const ban = await call('POST', `/v1/houses/${banned.houseId}/ban`, t.adminKey, {
      reason: 'Unlicensed group letting',
      basis: 'Township notice 12',
      bannedOn: today,
    });
    expect(ban.status).toBeLessThan(300);

    await page.goto(consoleUrl('/people/new'));
    await settle(page);
    // No grid yet: nothing to choose from.
    expect(await page.locator('#houseId').isDisabled()).toBe(true);
    await page.locator('#gridId').selectOption(east);
    await expect.poll(() => optionValues('houseId')).toContain(open.houseId);
    const offered = await optionValues('houseId');
    // Only the open houses of this grid: not the banned one, not another grid's.
    expect(offered).not.toContain(banned.houseId);
    expect(offered).not.toContain(elsewhere.houseId);
    await page.locator('#gridId').selectOption(west);
    await expect.poll(() => optionValues('houseId')).toContain(elsewhere.houseId);
    expect(await optionValues('houseId')).not.toContain(open.houseId);
    await page.locator('#gridId').selectOption(east);
    await expect.poll(() => optionValues('houseId')).toContain(open.houseId);

    await page.locator('#idNumber').fill(nextIdNumber({ birthDate: '1990-05-06', sex: 'male' }));
    await page.locator('#name').fill('Qian Feng');
    await page.locator('#houseId').selectOption(open.houseId);
    await page.locator('#address').fill('Xingfu Estate 1-1-101');
    await page.locator('#maritalStatus').selectOption('single');
    await assertNoSeriousA11yViolations(page, 'registration with a house');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.waitForURL(/\/people\/p_/);
    await settle(page);
    const link = page.locator('[data-field="house"] a');
    expect(await link.getAttribute('href')).toBe(`/houses/${open.houseId}`);

    // The API is the judge: a house banned after the form listed it is refused next to the field.
    await page.goto(consoleUrl('/people/new'));
    await settle(page);
    await page.locator('#gridId').selectOption(east);
    await expect.poll(() => optionValues('houseId')).toContain(open.houseId);
    const banNow = await call('POST', `/v1/houses/${open.houseId}/ban`, t.adminKey, {
      reason: 'Fire exits blocked',
      basis: 'Inspection 7',
      bannedOn: today,
    });
    expect(banNow.status).toBeLessThan(300);
    await page.locator('#idNumber').fill(nextIdNumber({ birthDate: '1991-07-08', sex: 'female' }));
    await page.locator('#name').fill('Sun Mei');
    await page.locator('#houseId').selectOption(open.houseId);
    await page.locator('#address').fill('Xingfu Estate 1-1-101');
    await page.locator('#maritalStatus').selectOption('single');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.locator('.alert--error').waitFor();
    expect(page.url()).toContain('/people/new');
    expect(await page.locator('#name').inputValue()).toBe('Sun Mei');
  });
});
