import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { inject } from 'vitest';

export const desktop = { width: 1280, height: 900 };

/** The one Chromium of the run (started by the global setup); each file connects once. */
export async function connectBrowser(): Promise<Browser> {
  return chromium.connect(inject('browserWsEndpoint'));
}

/** A fresh browser profile on the console's origin (its own sessionStorage and localStorage). */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: desktop,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers: 'block',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: inject('consoleUrl') });
  context.setDefaultTimeout(10_000);
  return context;
}

export function consoleUrl(path = '/'): string {
  return `${inject('consoleUrl')}${path}`;
}

/** Errors the page itself throws, collected so a test can assert there were none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(m.text());
  });
  return errors;
}

/** Signs in through the sign-in page and waits for the dashboard. */
export async function signIn(page: Page, key: string): Promise<void> {
  await page.goto(consoleUrl('/signin'));
  // Whatever session the tab had (a test that failed half-way) ends first.
  if (await page.evaluate('sessionStorage.length > 0')) {
    await page.evaluate('sessionStorage.clear()');
    await page.goto(consoleUrl('/signin'));
  }
  await page.locator('#apiKey').fill(key);
  await page.locator('form button[type="submit"]').click();
  await page.locator('.stat-card[data-stat="floatingPopulation"]').waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.locator('.topbar button:not(.lang-switch)').click();
  await page.locator('#apiKey').waitFor();
}

/** Navigates inside the app (no reload): clicks the main navigation entry for `href`. */
export async function navTo(page: Page, href: string): Promise<void> {
  await page.locator(`nav.mainnav a[href="${href}"]`).click();
  await page.waitForURL((url) => url.pathname === href);
}

/** Waits until the page has its heading and nothing is loading any more. */
export async function settle(page: Page): Promise<void> {
  await page.locator('#page-title').waitFor();
  // (Not waitForFunction: it evaluates a string inside the page, which the console's CSP forbids.)
  const until = Date.now() + 10_000;
  while ((await page.locator('.loading').count()) > 0) {
    if (Date.now() > until) throw new Error(`${page.url()} is still loading after 10 s`);
    await page.waitForTimeout(100);
  }
}
