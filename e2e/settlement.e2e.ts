import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Api, launchBrowser, pickOption, type Session, startStack, type Stack, withSession as runSession } from './support/harness.ts';

// Settlement side of the console on a fresh database with the demo network *and* the demo month
// (October 2026, apps/server/src/modules/settlement/demo-month.ts): station commissions for the
// keeper and the county manager, and the issue-5 pages in zh-CN and English. The harness's guard
// fails a test on any console error, page error, unexpected HTTP error or external request.

const MONTH = '2026-10';
type Commission = { stationId: string; stationName: string; quantity: number; amountFen: number; parcels: Array<{ parcelId: string; waybillNo: string }> };
type Overview = { items: Array<{ stationId: string; stationName: string; countyCode: string; quantity: number }>; quantity: number };

const HEJIANG = 'AG522732111-01'; // 合江代办所, 三都县

let stack: Stack;
let browser: Browser;
const saved: Record<string, string | undefined> = {};
// Off under vitest by default; this file needs the demo month and the webhook worker running.
const ENV = { SEED_DEMO_MONTH: '1', WEBHOOK_WORKER: 'on', WEBHOOK_WORKER_INTERVAL_MS: '300' };

beforeAll(async () => {
  for (const [k, v] of Object.entries(ENV)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  for (const k of Object.keys(ENV)) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
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

  test('in English: a county manager computes the demo month’s statement; it is the API’s, with every kind of line', async () => {
    const duyun = await Api.login(stack.url, 'duyun');
    const want = await duyun.get<{ lines: Array<{ kind: string }>; totalFen: number }>(`/api/v1/settlement/statement?partner=ZTO&county=522701&month=${MONTH}`);
    expect(new Set(want.lines.map((l) => l.kind)).size).toBeGreaterThanOrEqual(5);
    await withSession(duyun.token, async ({ page }) => {
      await page.goto(`${stack.url}/settlement`);
      await pickOption(page, 'statement-partner', 'ZTO');
      const month = page.getByTestId('statement-form').locator('.ant-picker input');
      await month.click();
      await month.fill(MONTH);
      await month.press('Enter');
      await page.keyboard.press('Escape');
      await page.getByTestId('statement-compute').click();
      await expect.poll(() => page.getByTestId('statement-lines').locator('tbody tr.ant-table-row').count()).toBe(want.lines.length);
      expect(await page.getByTestId('statement-total').innerText()).toBe(`¥${(want.totalFen / 100).toFixed(2)}`);
      const text = await page.getByTestId('statement-lines').innerText();
      expect(text).toContain('Door delivery');
      if (want.lines.some((l) => l.kind === 'deduction_late')) expect(text).toContain('Late deduction');
    }, 'en');
  });

  test('in English: a failing partner endpoint’s delivery is listed with its attempt and replayed from the console; the pull feed has the change', async () => {
    const zto = await Api.login(stack.url, 'zto');
    const admin = await Api.login(stack.url, 'admin');
    // A name that never resolves (.invalid): accepted at registration, every send fails (DNS), retried.
    await zto.send('PUT', '/partner/v1/webhook', { url: 'https://hooks.cuntong-e2e.invalid/zto', secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}` });
    const w = `ZTE2E${Date.now().toString().slice(-8)}`;
    await zto.send('POST', '/partner/v1/manifests', { outletCode: HEJIANG, parcels: [{ waybillNo: w, recipientName: '张小娟', recipientPhone: '13812345678', address: '贵州省黔南州三都县大河镇合江村二组', weightKg: 1.2, service: 'door' }] });
    type Delivery = { id: string; waybillNo: string; attempts: number; replays: number };
    let delivery: Delivery | undefined;
    await expect.poll(async () => {
      delivery = (await admin.get<{ items: Delivery[] }>(`/api/v1/webhooks/deliveries?waybill=${w}`)).items[0];
      return delivery?.attempts ?? 0;
    }, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    await withSession(admin.token, async (s) => {
      const { page } = s;
      await page.goto(`${stack.url}/webhooks`);
      await page.getByTestId('deliveries-table').waitFor();
      await page.getByPlaceholder('Waybill').fill(w);
      await page.getByPlaceholder('Waybill').press('Enter');
      const rows = page.getByTestId('deliveries-table').locator('tbody tr.ant-table-row');
      await expect.poll(() => rows.count()).toBe(1);
      expect(await rows.first().innerText()).toContain(w);
      await rows.first().getByTestId('delivery-replay').click();
      await page.getByTestId('replay-done').waitFor();
    }, 'en');
    expect((await admin.get<Delivery & { log: unknown[] }>(`/api/v1/webhooks/deliveries/${delivery!.id}`)).replays).toBe(1);
    // The same change is in the partner's pull feed once the relay has numbered it.
    let after = 0;
    const seen: string[] = [];
    for (;;) {
      const page = await zto.get<{ items: Array<{ waybillNo: string; status: string }>; nextCursor: number }>(`/partner/v1/events?after=${after}&limit=1000`);
      if (page.items.length === 0) break;
      seen.push(...page.items.map((i) => `${i.waybillNo}:${i.status}`));
      after = page.nextCursor;
    }
    expect(seen).toContain(`${w}:ACCEPTED`);
    expect(seen.length).toBeGreaterThan(1000); // the demo month's ZTO changes come first
  });

  test('the agreements tab shows the settlement terms (return rate and deductions) as the API gives them', async () => {
    const admin = await Api.login(stack.url, 'admin');
    const a = (await admin.get<{ items: Array<{ partnerCode: string; returnRateFen: number; lossDeductionFen: number }> }>('/api/v1/agreements?partner=ZTO&county=522701')).items[0]!;
    await withSession(admin.token, async ({ page }) => {
      await page.goto(`${stack.url}/partners`);
      const table = page.locator('.ant-table').first();
      await expect.poll(() => table.innerText()).toContain('Loss deduction');
      const header = await table.locator('thead').innerText();
      for (const h of ['Return rate', 'Loss deduction', 'Damage deduction', 'Late deduction']) expect(header).toContain(h);
      await expect.poll(() => table.locator('tbody').innerText()).toContain(`¥${(a.lossDeductionFen / 100).toFixed(2)}`);
    }, 'en');
  });

  test('statements and disputes (zh-CN): the demo month’s issued statement is listed and ZTO’s open dispute is rejected from the console', async () => {
    const duyun = await Api.login(stack.url, 'duyun');
    const open = await duyun.get<{ items: Array<{ id: string; reason: string; status: string }> }>('/api/v1/settlement/disputes?status=open');
    expect(open.items).toHaveLength(1);
    await withSession(duyun.token, async ({ page }) => {
      await page.goto(`${stack.url}/settlement?tab=issued`);
      await expect.poll(() => page.getByTestId('issued-table').locator('tbody tr.ant-table-row').count()).toBe(1);
      expect(await page.getByTestId('issued-table').innerText()).toContain(MONTH);
      await page.goto(`${stack.url}/settlement?tab=disputes`);
      const rows = page.getByTestId('disputes-table').locator('tbody tr.ant-table-row');
      await expect.poll(() => rows.count()).toBe(1);
      expect(await rows.first().innerText()).toContain('不可抗力');
      await rows.first().getByRole('button', { name: /处\s?理/ }).click();
      const modal = page.locator('.ant-modal:visible');
      await modal.getByText('已驳回').click();
      await modal.locator('textarea').fill('道路塌方当日已有绕行路线，超时扣款维持');
      await modal.getByRole('button', { name: /保\s?存/ }).click();
      await expect.poll(() => rows.count()).toBe(0);
    });
    const d = (await duyun.get<{ items: Array<{ id: string; status: string; resolution: string }> }>('/api/v1/settlement/disputes')).items.find((x) => x.id === open.items[0]!.id)!;
    expect(d).toMatchObject({ status: 'rejected', resolution: '道路塌方当日已有绕行路线，超时扣款维持' });
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
