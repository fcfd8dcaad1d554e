import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Api, launchBrowser, type Session, startStack, type Stack, withSession as runSession } from './support/harness.ts';

// Settlement side of the console on a fresh database with the demo network *and* the demo month
// (October 2026, apps/server/src/modules/settlement/demo-month.ts): station commissions for the
// keeper and the county manager, and the issue-5 pages in zh-CN and English. The harness's guard
// fails a test on any console error, page error, unexpected HTTP error or external request.

const MONTH = '2026-10';
type Commission = { stationId: string; stationName: string; quantity: number; amountFen: number; parcels: Array<{ parcelId: string; waybillNo: string }> };
type Overview = { items: Array<{ stationId: string; stationName: string; countyCode: string; quantity: number }>; quantity: number };

let stack: Stack;
let browser: Browser;
let previous: string | undefined;

beforeAll(async () => {
  previous = process.env.SEED_DEMO_MONTH;
  process.env.SEED_DEMO_MONTH = '1'; // off under vitest by default; this file needs the month
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  if (previous === undefined) delete process.env.SEED_DEMO_MONTH;
  else process.env.SEED_DEMO_MONTH = previous;
});

async function withSession(token: string | undefined, run: (s: Session) => Promise<void>, lang?: 'en'): Promise<void> {
  return runSession(browser, stack.url, token, async (s) => {
    if (lang) await s.context.addInitScript((l: string) => window.localStorage.setItem('cuntong.lang', l), lang);
    await run(s);
  });
}

/** Sets the month picker (typing is the one input antd's picker takes reliably from a script). */
async function chooseMonth(page: Session['page'], month: string): Promise<void> {
  const input = page.getByTestId('commission-month');
  await input.click();
  await input.fill(month);
  await input.press('Enter');
  await expect.poll(() => input.inputValue()).toBe(month);
  await page.keyboard.press('Escape');
}

describe('settlement console', () => {
  test('station commissions: the keeper sees the own station’s month, each parcel opens its history', async () => {
    const keeper = await Api.login(stack.url, 'jijia');
    const me = await keeper.get<{ outletId: string }>('/api/v1/auth/me');
    const want = await keeper.get<Commission>(`/api/v1/settlement/commissions?station=${me.outletId}&month=${MONTH}`);
    expect(want.quantity).toBeGreaterThan(0);
    await withSession(keeper.token, async ({ page }) => {
      await page.goto(`${stack.url}/commissions`);
      await chooseMonth(page, MONTH);
      await expect.poll(() => page.getByTestId('commission-quantity').textContent()).toBe(String(want.quantity));
      expect(await page.getByTestId('commission-station').locator('.ant-card-head-title').textContent()).toContain(want.stationName);
      await expect.poll(() => page.getByTestId('commission-overview').count()).toBe(0); // keepers get no county overview
      const first = page.getByTestId('commission-waybill').first();
      const waybill = (await first.textContent())!;
      expect(want.parcels.map((p) => p.waybillNo)).toContain(waybill);
      await first.click();
      const detail = page.getByTestId('parcel-detail');
      await detail.waitFor();
      expect(await detail.locator('.ant-card-head-title').textContent()).toContain(waybill);
      await expect.poll(() => page.getByTestId('parcel-timeline').locator('.ant-timeline-item').count()).toBeGreaterThanOrEqual(4);
    });
  });

  test('station commissions: a county manager sees the county’s stations and opens one; the figures are the API’s', async () => {
    const duyun = await Api.login(stack.url, 'duyun');
    const overview = await duyun.get<Overview>(`/api/v1/settlement/commissions/overview?month=${MONTH}`);
    expect(overview.items.length).toBeGreaterThan(5);
    const pick = overview.items[0]!;
    await withSession(duyun.token, async ({ page }) => {
      await page.goto(`${stack.url}/commissions`);
      await chooseMonth(page, MONTH);
      const rows = page.getByTestId('commission-overview').locator('tbody tr.ant-table-row');
      await expect.poll(() => rows.count()).toBe(Math.min(10, overview.items.length));
      await page.getByTestId('commission-open').filter({ hasText: pick.stationName }).first().click();
      await expect.poll(() => page.getByTestId('commission-quantity').textContent()).toBe(String(pick.quantity));
    });
  });

  test('the issue-5 pages render in English without untranslated keys (stations, settlement, commissions, webhooks)', async () => {
    const admin = await Api.login(stack.url, 'admin');
    await withSession(admin.token, async ({ page }) => {
      for (const [path, title] of [['stations', 'Village stations'], ['settlement', 'Statements & disputes'], ['commissions', 'Station commissions'], ['webhooks', 'Webhooks']] as const) {
        await page.goto(`${stack.url}/${path}`);
        await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');
        await expect.poll(() => page.locator('main, .ant-layout-content').first().innerText(), { timeout: 15_000 }).toContain(title);
        const text = await page.locator('body').innerText();
        expect(text, path).not.toMatch(/\b(stations|settlement|commissions|webhooks|common|parcels)\.[a-z][A-Za-z]+\b/);
      }
    }, 'en');
  });
});
