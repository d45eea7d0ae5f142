import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextIdNumber, type Township, township } from './support/api.js';
import { connectBrowser, consoleUrl, navTo, newContext, settle, signIn } from './support/session.js';

let browser: Browser;
let t: Township;

beforeAll(async () => {
  t = await township('Qiaotou Township');
  const grid = await t.grid('Grid 3', 'Xinhua Community');
  await t.register(grid, { name: 'Zhang Min' });
  browser = await connectBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const cjk = /[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]/;

/** The console's own words on the page: main content, navigation and top bar, without the language button. */
async function chromeText(page: Page): Promise<string> {
  const parts = await page
    .locator('main, nav.mainnav, .topbar .brand-name, .topbar .whoami')
    .allTextContents();
  return parts.join('\n');
}

describe('language', () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await newContext(browser);
    page = await context.newPage();
  });
  afterAll(() => context?.close());

  it('is Chinese by default, English one click away on every page, and remembered', async () => {
    await page.goto(consoleUrl('/signin'));
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('#page-title').textContent()).toBe('登录');
    await page.locator('[data-switch-locale="en"]').click();
    expect(await page.locator('#page-title').textContent()).toBe('Sign in');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('[data-switch-locale="zh-CN"]').textContent()).toBe('中文');
    expect(await page.locator('[data-switch-locale="zh-CN"]').getAttribute('lang')).toBe('zh-CN');
    expect(cjk.test(await chromeText(page))).toBe(false);

    await signIn(page, t.adminKey);
    for (const path of [
      '/',
      '/people',
      '/people/due',
      '/people/new',
      '/grids',
      '/api-keys',
      '/settings',
      '/reconciliations',
    ]) {
      await page.goto(consoleUrl(path));
      await settle(page);
      const text = await chromeText(page);
      const stray = [...text].filter((c) => cjk.test(c));
      expect(stray.join(''), `untranslated text on ${path}`).toBe('');
    }
    // Dates follow the locale.
    await page.goto(consoleUrl('/'));
    await settle(page);
    expect(await page.locator('.as-of').textContent()).toMatch(/Figures as of [A-Z][a-z]{2} \d{1,2}, \d{4}/);
    await page.locator('[data-switch-locale="zh-CN"]').click();
    expect(await page.locator('.as-of').textContent()).toMatch(/数据截至 \d{4}年\d{1,2}月\d{1,2}日/);
    expect(await page.locator('#page-title').textContent()).toBe('概览');
    // Remembered across a reload (the choice, not the key, is kept in localStorage).
    await page.locator('[data-switch-locale="en"]').click();
    await page.reload();
    await settle(page);
    expect(await page.locator('#page-title').textContent()).toBe('Dashboard');
    const stored = (await page.evaluate('JSON.stringify(Object.values(localStorage))')) as string;
    expect(stored).not.toContain('trk_');
  });
});

describe('keyboard only', () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await newContext(browser);
    page = await context.newPage();
  });
  afterAll(() => context?.close());

  const focusedId = () =>
    page.evaluate('document.activeElement ? document.activeElement.id : ""') as Promise<string>;
  const focusedHref = () =>
    page.evaluate('document.activeElement ? document.activeElement.getAttribute("href") : null') as Promise<
      string | null
    >;

  /** Presses Tab until `matches` says the focus arrived (fails after `max` presses). */
  async function tabUntil(matches: () => Promise<boolean>, what: string, max = 25): Promise<void> {
    for (let i = 0; i < max; i++) {
      if (await matches()) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${what}`);
  }
  const tabTo = (id: string) => tabUntil(async () => (await focusedId()) === id, `#${id}`);

  it('signs in and registers a person with the keyboard alone', async () => {
    await page.goto(consoleUrl('/signin'));
    await page.locator('#page-title').waitFor();
    // The first stop is the skip link.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.className')).toBe('skip-link');
    await tabTo('apiKey');
    await page.keyboard.type(t.adminKey);
    await page.keyboard.press('Enter');
    await page.locator('.stat-card[data-stat="floatingPopulation"]').waitFor();

    // Through the navigation to the registration form.
    await tabUntil(async () => (await focusedHref()) === '/people/new', 'the Register link');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/people\/new$/);
    await settle(page);
    await tabTo('idNumber');
    await page.keyboard.type(nextIdNumber({ birthDate: '1995-10-01', sex: 'female' }));
    expect(await page.locator('[data-derived="idNumber"]').textContent()).toContain('女');
    await tabTo('name');
    await page.keyboard.type('Keyboard Kang');
    await tabUntil(
      async () => (await page.evaluate('document.activeElement.name')) === 'flow',
      'the flow radios',
    );
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('input[name="flow"][value="outflow"]').isChecked()).toBe(true);
    await tabTo('gridId');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#gridId').inputValue()).toMatch(/^g_/);
    await tabTo('address');
    await page.keyboard.type('Lane 4, No. 2');
    await tabTo('maritalStatus');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#maritalStatus').inputValue()).toBe('single');
    await tabTo('phone');
    await page.keyboard.type('13700001111');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/people\/p_/);
    await settle(page);
    expect(await page.locator('#page-title').textContent()).toBe('Keyboard Kang');
    // After the navigation the focus is on the new page's heading (announced by screen readers).
    expect(await focusedId()).toBe('page-title');
    await navTo(page, '/');
  });
});
