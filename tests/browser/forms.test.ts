import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, nextIdNumber, type Township, township } from './support/api.js';
import { assertNoSeriousA11yViolations } from './support/checks.js';
import { connectBrowser, consoleUrl, newContext, settle, signIn } from './support/session.js';

/** Errors where they belong: next to the field they name; a version conflict explained, nothing lost. */
let browser: Browser;
let context: BrowserContext;
let page: Page;
let t: Township;
let grid: string;

beforeAll(async () => {
  t = await township('Forms Township');
  grid = await t.grid('East Grid', 'Harbour');
  browser = await connectBrowser();
  context = await newContext(browser);
  page = await context.newPage();
  await signIn(page, t.adminKey);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

/** The error text shown for a field, checking it is tied to the input (aria-describedby, aria-invalid). */
async function errorOf(p: Page, id: string): Promise<string> {
  const error = p.locator(`#${id}-error`);
  await error.waitFor();
  expect(await p.locator(`#${id}`).getAttribute('aria-invalid')).toBe('true');
  expect((await p.locator(`#${id}`).getAttribute('aria-describedby')) ?? '').toContain(`${id}-error`);
  return (await error.textContent()) ?? '';
}

describe('forms', () => {
  it('checks the ID number as it is typed, and shows the API’s field errors next to their fields', async () => {
    await page.goto(consoleUrl('/people/new'));
    await settle(page);
    const good = nextIdNumber({ birthDate: '1992-02-29', sex: 'female' });
    // Part-way: progress, no error.
    await page.locator('#idNumber').fill(good.slice(0, 10));
    expect(await page.locator('#idNumber-error').count()).toBe(0);
    expect(await page.locator('#idNumber-hint').textContent()).toBe('已输入 10 / 18 位。');
    // A wrong check character: the error at once, in the page's language.
    const bad = `${good.slice(0, 17)}${good[17] === '1' ? '2' : '1'}`;
    await page.locator('#idNumber').fill(bad);
    expect(await errorOf(page, 'idNumber')).toContain('校验码');
    // An impossible birth date as soon as its digits are typed.
    await page.locator('#idNumber').fill('11010519920230');
    expect(await errorOf(page, 'idNumber')).toContain('出生日期');
    // The right number: sex and birth date shown as derived.
    await page.locator('#idNumber').fill(good);
    expect(await page.locator('#idNumber-error').count()).toBe(0);
    expect(await page.locator('[data-derived="idNumber"]').textContent()).toBe(
      '由身份证号得出：女，出生于 1992年2月29日。',
    );

    // Submitting empty required fields: each says so, next to itself.
    await page.getByRole('button', { name: '登记', exact: true }).click();
    expect(await errorOf(page, 'name')).toContain('必填');
    expect(await errorOf(page, 'gridId')).toContain('必填');

    // The API refuses the phone number: its message appears under the phone field.
    await page.locator('#name').fill('Sun Li');
    await page.locator('#gridId').selectOption(grid);
    await page.locator('#address').fill('Dock Road 8');
    await page.locator('#maritalStatus').selectOption('single');
    await page.locator('#phone').fill('call me');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    expect(await errorOf(page, 'phone')).toMatch(/服务器提示：.*phone number/);
    expect(await page.locator('.alert--error').textContent()).toContain('无法保存：1 个字段需要修改。');
    // Nothing typed was lost.
    expect(await page.locator('#name').inputValue()).toBe('Sun Li');
    expect(await page.locator('#idNumber').inputValue()).toBe(good);
    await assertNoSeriousA11yViolations(page, 'registration with errors');

    // Fixed: registered.
    await page.locator('#phone').fill('13912345678');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.waitForURL(/\/people\/p_/);

    // The same ID number again: the conflict says so and links to the existing registration.
    await page.goto(consoleUrl('/people/new'));
    await settle(page);
    await page.locator('#idNumber').fill(good);
    await page.locator('#name').fill('Sun Li');
    await page.locator('#gridId').selectOption(grid);
    await page.locator('#address').fill('Dock Road 8');
    await page.locator('#maritalStatus').selectOption('single');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.getByRole('link', { name: '打开已有的登记' }).waitFor();
  });

  it('explains a version conflict (412), keeps what was typed, reloads, and saves', async () => {
    const person = await t.register(grid, { name: 'He Yun' });
    await page.goto(consoleUrl(`/people/${person.personId}`));
    await settle(page);
    await page.locator('button[data-action="edit"]').click();
    await page.locator('#edit-address').fill('Typed while someone else saved');

    // Meanwhile a colleague changes the record.
    const colleague = await call('PATCH', `/v1/people/${person.personId}`, t.adminKey, {
      occupation: 'Welder',
    });
    expect(colleague.status).toBe(200);

    await page.getByRole('button', { name: '保存修改' }).click();
    const conflict = page.locator('[data-conflict="true"]');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('此记录已被他人修改');
    expect(await conflict.getAttribute('role')).toBe('alert');
    expect(await page.locator('#edit-address').inputValue()).toBe('Typed while someone else saved');
    await assertNoSeriousA11yViolations(page, 'version conflict');

    await conflict.getByRole('button', { name: '重新加载记录' }).click();
    await page.locator('[data-conflict="reloaded"]').waitFor();
    await expect.poll(() => page.locator('[data-field="occupation"]').textContent()).toBe('Welder');
    expect(await page.locator('[data-field="version"]').textContent()).toBe('2');
    expect(await page.locator('#edit-address').inputValue()).toBe('Typed while someone else saved');

    await page.getByRole('button', { name: '保存修改' }).click();
    await expect
      .poll(() => page.locator('[data-field="address"]').textContent())
      .toBe('Typed while someone else saved');
    expect(await page.locator('[data-field="occupation"]').textContent()).toBe('Welder');
    expect(await page.locator('[data-field="version"]').textContent()).toBe('3');
  });

  it('explains a conflict (409) when the person was written off meanwhile', async () => {
    const person = await t.register(grid, { name: 'Lu Ming' });
    await page.goto(consoleUrl(`/people/${person.personId}`));
    await settle(page);
    await page.locator('button[data-action="verify"]').click();
    await page.locator('input[name="outcome"][value="absent"]').check();
    const gone = await call('POST', `/v1/people/${person.personId}/departure`, t.adminKey, {
      departedOn: '2026-03-01',
      reason: 'left',
    });
    expect(gone.status).toBe(200);
    await page.getByRole('button', { name: '保存核查' }).click();
    const conflict = page.locator('[data-conflict="true"]');
    await conflict.waitFor();
    await conflict.getByRole('button', { name: '重新加载记录' }).click();
    await expect.poll(() => page.locator('[data-conflict="reloaded"]').textContent()).toContain('已注销');
    expect(await page.locator('input[name="outcome"][value="absent"]').isChecked()).toBe(true);
  });
});
