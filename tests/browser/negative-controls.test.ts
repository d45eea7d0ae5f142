import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber, maskIdNumber } from '../../shared/modules/people/rules/id-number.js';
import {
  assertNoRawIdNumbers,
  assertNoSeriousA11yViolations,
  findRawIdNumbers,
  waitForStat,
} from './support/checks.js';
import { connectBrowser, newContext } from './support/session.js';

/**
 * Each check the console tests rely on, applied to a deliberately bad page: it must fail
 * there, or the tests that pass with it would prove nothing.
 */
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await connectBrowser();
  context = await newContext(browser);
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

const raw = makeIdNumber({ region: '110105', birthDate: '1949-12-31', sequence: 2 });

describe('negative controls', () => {
  it('the ID-number scan finds a raw number in text, in an attribute and in an input, and not a masked or corrupted one', async () => {
    expect(findRawIdNumbers(`name ${raw} x`)).toEqual([raw]);
    expect(findRawIdNumbers(maskIdNumber(raw))).toEqual([]);
    const corrupted = `${raw.slice(0, 17)}${raw[17] === '1' ? '2' : '1'}`;
    expect(findRawIdNumbers(corrupted)).toEqual([]);

    for (const html of [
      `<main><p>${raw}</p></main>`,
      `<main><a href="#" title="${raw}">person</a></main>`,
      `<main><label>ID <input value="${raw}"></label></main>`,
    ]) {
      await page.setContent(html);
      await expect(assertNoRawIdNumbers(page, 'bad page')).rejects.toThrow(/raw ID number/);
    }
    await page.setContent(`<main><p>${maskIdNumber(raw)}</p></main>`);
    await assertNoRawIdNumbers(page, 'masked page');
  });

  it('the accessibility check fails on a page with serious violations', async () => {
    await page.setContent(
      '<html><body><main><img src="x.png"><input type="text"><button></button>' +
        '<p style="color:#ccc;background:#fff">low contrast text</p></main></body></html>',
    );
    await expect(assertNoSeriousA11yViolations(page, 'bad page')).rejects.toThrow(
      /image-alt|label|button-name|color-contrast/,
    );
    await page.setContent(
      '<html lang="en"><head><title>ok</title></head><body><main><h1>Fine</h1></main></body></html>',
    );
    await assertNoSeriousA11yViolations(page, 'good page');
  });

  it('the dashboard check fails when the number does not change by itself', async () => {
    await page.setContent(
      '<dl><div class="stat-card" data-stat="floatingPopulation"><dt>x</dt><dd><span class="stat-value">3</span></dd></div></dl>',
    );
    await expect(waitForStat(page, 'floatingPopulation', 4, 1_500)).rejects.toThrow(
      /did not update by itself/,
    );
    // …and passes when the page does change it (no navigation).
    await page.evaluate(
      'setTimeout(() => { document.querySelector(".stat-value").textContent = "4"; }, 300)',
    );
    await waitForStat(page, 'floatingPopulation', 4, 3_000);
  });
});
