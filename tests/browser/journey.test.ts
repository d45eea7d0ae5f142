import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, nextIdNumber } from './support/api.js';
import {
  assertNoRawIdNumbers,
  assertNoSeriousA11yViolations,
  readStat,
  waitForStat,
} from './support/checks.js';
import {
  collectPageErrors,
  connectBrowser,
  consoleUrl,
  navTo,
  newContext,
  signIn,
  signOut,
} from './support/session.js';

/**
 * The whole journey in the browser, in Chinese (the default): sign up → grids → a grid
 * officer's key → registrations → the dashboard follows by itself → the grid officer
 * verifies → the administrator writes off → the history shows each step.
 */
let browser: Browser;
let context: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await connectBrowser();
  context = await newContext(browser);
  page = await context.newPage();
  errors = collectPageErrors(page);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

async function register(
  p: Page,
  person: { idNumber: string; name: string; flow: 'inflow' | 'outflow'; grid: string; marital: string },
): Promise<string> {
  await navTo(p, '/people/new');
  await p.locator('#idNumber').fill(person.idNumber);
  await expect.poll(() => p.locator('[data-derived="idNumber"]').textContent()).toMatch(/由身份证号得出/);
  await p.locator('#name').fill(person.name);
  await p.locator(`input[name="flow"][value="${person.flow}"]`).check();
  await p.locator('#gridId').selectOption({ label: person.grid });
  await p.locator('#address').fill('新华路 3 号楼 501 室');
  await p.locator('#maritalStatus').selectOption(person.marital);
  await p.locator('#phone').fill('13812345678');
  await p.getByRole('button', { name: '登记', exact: true }).click();
  await p.waitForURL(/\/people\/p_/);
  await expect.poll(() => p.locator('[role="status"]').first().textContent()).toContain('已登记');
  return new URL(p.url()).pathname.split('/').pop()!;
}

describe('the journey', () => {
  it('signs up, sets up, registers, sees the dashboard follow, verifies, writes off, and shows the history', async () => {
    // Sign up: the key is shown once, with a copy button and the warning.
    await page.goto(consoleUrl('/'));
    await page.waitForURL(/\/signin$/);
    await page.getByRole('link', { name: '注册工作区' }).click();
    await page.locator('#townshipName').fill('桥头镇');
    await page.locator('#adminName').fill('李伟');
    await page.locator('#adminEmail').fill('li@example.cn');
    await page.getByRole('button', { name: '创建工作区' }).click();
    const adminKey = await page.locator('#revealed-key').inputValue();
    expect(adminKey).toMatch(/^trk_/);
    await expect.poll(() => page.locator('.key-warning').textContent()).toContain('不会再次显示');
    await page.getByRole('button', { name: '复制' }).click();
    await expect.poll(() => page.locator('.copy-status').textContent()).toBe('已复制到剪贴板。');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(adminKey);
    await assertNoSeriousA11yViolations(page, 'sign-up: key shown once');
    await page.getByRole('button', { name: /进入控制台/ }).click();
    await page.locator('.stat-card[data-stat="floatingPopulation"]').waitFor();
    expect(page.url()).not.toContain(adminKey);
    expect(await page.evaluate('sessionStorage.length')).toBe(1);

    // Grids.
    await navTo(page, '/grids');
    for (const [name, community] of [
      ['第一网格', '新华社区'],
      ['第二网格', '新华社区'],
    ]) {
      await page.locator('#name').fill(name!);
      await page.locator('#community').fill(community!);
      await page.getByRole('button', { name: '创建网格' }).click();
      await page.locator('tr', { hasText: name! }).waitFor();
    }
    const gridIdOf = async (name: string) =>
      (await page.locator('tr', { hasText: name }).getAttribute('data-grid')) ?? '';
    const grid1 = await gridIdOf('第一网格');
    const grid2 = await gridIdOf('第二网格');
    expect(grid1).toMatch(/^g_/);

    // A grid officer's key for grid 1, shown once.
    await navTo(page, '/api-keys');
    await page.locator('#key-name').fill('网格员赵');
    await page.locator('#key-role').selectOption('grid');
    await page.locator(`input[name="gridIds"][value="${grid1}"]`).check();
    await page.getByRole('button', { name: '签发密钥' }).click();
    const gridKey = await page.locator('#revealed-key').inputValue();
    expect(gridKey).toMatch(/^trk_/);
    await page.getByRole('button', { name: '我已保存密钥' }).click();
    await page.locator('tr', { hasText: '网格员赵' }).waitFor();
    expect(await page.locator('#revealed-key').count()).toBe(0);

    // Registrations through the form.
    const woman = nextIdNumber({ birthDate: '1990-03-08', sex: 'female' });
    const man = nextIdNumber({ birthDate: '1985-07-01', sex: 'male' });
    const personA = await register(page, {
      idNumber: woman,
      name: '王芳',
      flow: 'inflow',
      grid: '第一网格 · 新华社区',
      marital: 'married',
    });
    await register(page, {
      idNumber: man,
      name: '张强',
      flow: 'outflow',
      grid: '第二网格 · 新华社区',
      marital: 'single',
    });

    // The dashboard shows them (the statistics follow within seconds)…
    await navTo(page, '/');
    await waitForStat(page, 'floatingPopulation', 2);
    expect(await readStat(page, 'inflowWomenOfChildbearingAge')).toBe(1);
    expect(await readStat(page, 'inflowMarriedWomenOfChildbearingAge')).toBe(1);
    expect(await readStat(page, 'outflow')).toBe(1);
    await page.locator('table[data-community="新华社区"] tr[data-grid]').nth(1).waitFor();

    // …and changes by itself, without a reload, when someone else registers a person.
    const third = await call('POST', '/v1/people', adminKey, {
      idNumber: nextIdNumber({ sex: 'male' }),
      name: '刘洋',
      flow: 'inflow',
      gridId: grid2,
      address: '新华路 5 号',
      arrivedOn: '2026-02-01',
      maritalStatus: 'single',
    });
    expect(third.status).toBe(201);
    const tookMs = await waitForStat(page, 'floatingPopulation', 3, 15_000);
    expect(tookMs).toBeLessThan(15_000);
    expect(await readStat(page, 'inflow')).toBe(2);

    // The grid officer signs in, sees only grid 1, and verifies the woman.
    await signOut(page);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await signIn(page, gridKey);
    expect(await page.locator('tr[data-grid]').count()).toBe(1);
    expect(await page.locator(`tr[data-grid="${grid1}"]`).count()).toBe(1);
    await navTo(page, '/people');
    await page.getByRole('link', { name: '王芳' }).click();
    await page.waitForURL(new RegExp(`/people/${personA}$`));
    expect(await page.locator('[data-action="writeOff"]').count()).toBe(0);
    expect(await page.locator('[data-action="edit"]').count()).toBe(0);
    await page.locator('button[data-action="verify"]').click();
    await page.locator('input[name="outcome"][value="present"]').check();
    await page.getByRole('button', { name: '保存核查' }).click();
    await expect.poll(() => page.locator('p[role="status"]').first().textContent()).toBe('已保存。');
    expect(await page.locator('[data-field="lastVerifiedOn"]').textContent()).not.toBe('—');

    // The administrator writes her off.
    await signOut(page);
    await signIn(page, adminKey);
    await page.goto(consoleUrl(`/people/${personA}`));
    await page.locator('button[data-action="writeOff"]').click();
    await page.locator('#reason').selectOption('left');
    await page.getByRole('button', { name: '注销', exact: true }).last().click();
    await expect.poll(() => page.locator('[data-field="status"]').textContent()).toBe('已注销');
    expect(await page.locator('button[data-action]').count()).toBe(0);

    // The history shows each step, oldest first, with who did it.
    await expect.poll(() => page.locator('.timeline-item').count()).toBe(3);
    const steps = await page
      .locator('.timeline-item')
      .evaluateAll((items) => items.map((i) => `${i.getAttribute('data-action')}|${i.textContent}`));
    expect(steps[0]).toMatch(/^registered\|.*登记.*李伟/);
    expect(steps[1]).toMatch(/^verified\|.*核查.*在住.*网格员赵/);
    expect(steps[2]).toMatch(/^departed\|.*注销.*李伟/);
    await assertNoRawIdNumbers(page, 'check: the scan sees what an admin sees').then(
      () => {
        throw new Error('an admin sees the raw ID number: the scan should have found it');
      },
      (error: Error) => expect(error.message).toMatch(/raw ID number/),
    );

    // The dashboard follows the write-off.
    await navTo(page, '/');
    await waitForStat(page, 'floatingPopulation', 2);
    expect(await readStat(page, 'inflowWomenOfChildbearingAge')).toBe(0);
    expect(errors).toEqual([]);
  });
});
