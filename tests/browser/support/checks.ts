/**
 * The checks the browser tests make, each a function of a page so it can also be applied to
 * a deliberately bad page (tests/browser/negative-controls.test.ts) to show that it fails.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { maskIdNumber, parseIdNumber } from '../../../shared/modules/people/rules/id-number.js';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const outputDir = resolve(import.meta.dirname, '../../../test-output/console');

/** Every 18-character run in `text` that is a real ID number (shape, province, date, checksum). */
export function findRawIdNumbers(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g)) {
    if (parseIdNumber(match[0], '9999-12-31').ok) found.add(match[0].toUpperCase());
  }
  return [...found];
}

/** Everything a page shows or holds: its text, its markup (attributes too) and its form values. */
export async function pageTexts(page: Page): Promise<string> {
  const [text, html, values] = await Promise.all([
    page
      .locator('body')
      .textContent()
      .then((t) => t ?? ''),
    page.content(),
    page.evaluate(
      '[...document.querySelectorAll("input, textarea, select")].map((e) => e.value).join("\\n")',
    ) as Promise<string>,
  ]);
  return `${text}\n${html}\n${values}`;
}

/** Fails when the page shows a checksum-valid ID number anywhere (the message masks them). */
export async function assertNoRawIdNumbers(page: Page, where: string): Promise<void> {
  const raw = findRawIdNumbers(await pageTexts(page));
  if (raw.length > 0) {
    throw new Error(
      `${where}: the page shows ${raw.length} raw ID number(s): ${raw.map(maskIdNumber).join(', ')}`,
    );
  }
}

export interface A11yFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousA11yViolations(page: Page): Promise<A11yFinding[]> {
  const loaded = await page.evaluate('typeof window.axe === "object"');
  // Evaluated through the DevTools protocol, not as a page script, so the console's CSP
  // (no inline script) does not stop it.
  if (!loaded) await page.evaluate(axeSource);
  const findings = (await page.evaluate(`(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  })()`)) as A11yFinding[];
  return findings;
}

export async function assertNoSeriousA11yViolations(page: Page, where: string): Promise<void> {
  const findings = await seriousA11yViolations(page);
  if (findings.length > 0) {
    const lines = findings.map((f) => `  ${f.impact} ${f.id}: ${f.help} — ${f.targets.join(' | ')}`);
    throw new Error(
      `${where}: ${findings.length} serious/critical accessibility violation(s):\n${lines.join('\n')}`,
    );
  }
}

/** The number a dashboard card shows (digits only: locale grouping is ignored). */
export async function readStat(page: Page, stat: string): Promise<number> {
  const text = await page
    .locator(`.stat-card[data-stat="${stat}"] .stat-value`)
    .textContent({ timeout: 5_000 });
  return Number((text ?? '').replace(/\D/g, ''));
}

/**
 * Waits — without reloading or navigating — until the dashboard card `stat` shows `expected`;
 * fails after `timeoutMs` with the last value seen. Proves the page refreshes by itself.
 */
export async function waitForStat(
  page: Page,
  stat: string,
  expected: number,
  timeoutMs = 15_000,
): Promise<number> {
  const started = Date.now();
  const url = page.url();
  let last: number | undefined;
  while (Date.now() - started < timeoutMs) {
    last = await readStat(page, stat).catch(() => undefined);
    if (last === expected) {
      if (page.url() !== url) throw new Error(`the page navigated while waiting for ${stat}`);
      return Date.now() - started;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(
    `the dashboard did not update by itself: ${stat} stayed at ${last ?? 'nothing'} for ${timeoutMs} ms (expected ${expected})`,
  );
}

/** A full-page screenshot at desktop width, then at phone width, into test-output/console/. */
export async function screenshotBoth(page: Page, name: string): Promise<string[]> {
  mkdirSync(outputDir, { recursive: true });
  const original = page.viewportSize() ?? { width: 1280, height: 900 };
  const files: string[] = [];
  for (const [label, size] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    await page.setViewportSize(size);
    await page.waitForTimeout(150);
    const file = join(outputDir, `${name}.${label}.png`);
    await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
    files.push(file);
  }
  await page.setViewportSize(original);
  return files;
}
