import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Api, ARTIFACTS, launchBrowser, openMenu, pickOption, type Session, startStack, type Stack, withSession as runSession } from './support/harness.ts';

// Operations pages of the console (weekly plans, parcels) against the real server on a fresh
// database with the Qiannan demo network. Same guard as console.e2e.ts: any console error, page
// error, unexpected HTTP error or request leaving the server fails the test.

const SANDU = '522732';
const HEJIANG = 'AG522732111-01'; // 合江代办所, 三都县

let stack: Stack;
let browser: Browser;
let admin: Api;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  admin = await Api.login(stack.url, 'admin');
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

async function post<T>(api: Api, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${api.base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function withSession(token: string | undefined, run: (s: Session) => Promise<void>): Promise<void> {
  return runSession(browser, stack.url, token, run);
}

/** Picks the option containing `text` in the antd Select with `testId`, retrying while the page is still settling. */
/**
 * Clicks a Popconfirm's OK button. A click that lands while the popover is still zooming in can be
 * dropped (seen on a loaded CI machine), so click again while the popover stays open: an OK that
 * registered closes it, so this never confirms twice.
 */
async function confirmPopover(page: Session['page'], okTestId: string): Promise<void> {
  const ok = page.getByTestId(okTestId);
  for (let attempt = 0; attempt < 5; attempt++) {
    await ok.click();
    try {
      await expect.poll(() => ok.isVisible(), { timeout: 2000 }).toBe(false);
      return;
    } catch {
      /* still open: the click was dropped */
    }
  }
  throw new Error(`the confirmation ${okTestId} did not close`);
}

const seq = { n: 0 };
const waybill = () => `E2E${Date.now().toString().slice(-7)}${String(++seq.n).padStart(3, '0')}`;

interface PlanDetail {
  id: string;
  status: string;
  villages: number;
  villagesMet: number;
  days: { day: number; routes: unknown[] }[];
}

describe('operations pages', () => {
  test('a county manager runs a weekly plan, reads it by day on the map and accepts it; a stale accept shows the 409', async () => {
    const sandu = await Api.login(stack.url, 'sandu');
    await withSession(sandu.token, async (s) => {
      const { page } = s;
      s.allowHttpError(/\/api\/v1\/plans\/[^/]+\/accept$/);
      await page.goto(`${stack.url}/dashboard`);
      await openMenu(page, '周计划');
      await page.getByTestId('plan-run-form').waitFor();
      await page.locator('#timeLimitS').fill('5');
      await page.getByTestId('plan-run').click();
      await page.waitForURL(/\/planning\/[^/]+$/, { timeout: 120_000 });
      const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
      const plan = await sandu.get<PlanDetail>(`/api/v1/plans/${encodeURIComponent(id)}`);
      expect(plan.status).toBe('draft');
      // Totals before/after and the rule count as the API gives them.
      await expect.poll(() => page.getByTestId('plan-villages-met').innerText()).toBe(`${plan.villagesMet} / ${plan.villages}`);
      expect(await page.getByTestId('plan-km').innerText()).toMatch(/%/);
      // Routes of the first planned day on the map, then another day through the picker.
      await page.locator('.plan-route-line').first().waitFor({ timeout: 30_000 });
      const days = plan.days.filter((d) => d.routes.length > 0).map((d) => d.day);
      expect(days.length).toBeGreaterThan(1);
      const second = days[1] ?? 2;
      const geo = page.waitForResponse((r) => r.url().includes('/geojson') && r.url().includes(`day=${second}`));
      await page.getByTestId('plan-day-picker').locator('.ant-segmented-item').nth(second - 1).click();
      expect((await geo).status()).toBe(200);
      await page.locator('.plan-route-line').first().waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'plan-map.png') });
      // The frequency report: one row per village (first page).
      await page.getByRole('tab', { name: '频次报告' }).click();
      await page.getByTestId('plan-frequency').locator('.ant-table-row').first().waitFor();
      expect(await page.getByTestId('plan-frequency').locator('.ant-table-row').count()).toBe(Math.min(50, plan.villages));
      // Dispatch preview of the first outlet and day (read-only).
      await page.getByRole('tab', { name: '派件预览' }).click();
      await page.getByTestId('dispatch-run').click();
      await page.getByTestId('dispatch-result').waitFor();
      // Accept (confirm dialog).
      await page.getByTestId('plan-accept').click();
      await confirmPopover(page, 'plan-accept-ok');
      await page.getByTestId('plan-accepted').waitFor({ timeout: 60_000 });
      await expect.poll(() => page.getByTestId('plan-status').innerText()).toBe('已采纳');
      expect((await sandu.get<PlanDetail>(`/api/v1/plans/${encodeURIComponent(id)}`)).status).toBe('accepted');

      // A second draft accepted elsewhere meanwhile: the button's accept gets 409, shown clearly.
      // POST /plans queues a job (202): follow it to the plan
      let job = await post<{ id: string; status: string; planId: string | null }>(sandu, '/api/v1/plans', { timeLimitS: 3 });
      while (job.status === 'queued' || job.status === 'running') {
        await new Promise((r) => setTimeout(r, 500));
        job = await sandu.get(`/api/v1/plan-jobs/${job.id}`);
      }
      const other = await sandu.get<PlanDetail>(`/api/v1/plans/${job.planId}`);
      await page.goto(`${stack.url}/planning/${encodeURIComponent(other.id)}`);
      await page.getByTestId('plan-accept').waitFor();
      await post(sandu, `/api/v1/plans/${encodeURIComponent(other.id)}/accept`, {});
      await page.getByTestId('plan-accept').click();
      await confirmPopover(page, 'plan-accept-ok');
      const err = page.getByTestId('plan-accept-error');
      await err.waitFor();
      expect(await err.innerText()).toContain('冲突');
      // The list shows both plans.
      await page.goto(`${stack.url}/planning`);
      await page.getByTestId('list-table').locator('.ant-table-row').nth(1).waitFor();
    });
  });

  test('a manifest upload reports bad rows, then lands parcels; waybill search shows the masked timeline; a queued address gets a village', async () => {
    const good = waybill();
    const lost = waybill();
    const header = '运单号,收件人,收件人电话,收件地址,重量kg,服务';
    const bad = `${header}\n${waybill()},李四,139,三都县大河镇合江村,2,上门\n`;
    const csv = `${header}\n${good},李四,13900001111,三都县大河镇合江村,2,上门\n${lost},王五,13900002222,三都县大河镇老寨子,0.5,驿站\n`;
    await withSession(admin.token, async (s) => {
      const { page } = s;
      s.allowHttpError(/\/api\/v1\/manifests\/upload/);
      await page.goto(`${stack.url}/parcels?tab=manifest`);
      await pickOption(page, 'manifest-partner', 'ZTO');
      await pickOption(page, 'manifest-outlet', HEJIANG);
      const input = page.getByTestId('manifest-upload').locator('input[type="file"]');
      await input.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad, 'utf8') });
      await page.getByTestId('manifest-start').click();
      const report = page.getByTestId('manifest-report');
      await report.waitFor();
      const cells = await report.locator('.ant-table-row').first().locator('td').allInnerTexts();
      expect(cells[0]?.trim()).toBe('2');
      expect(cells[1]).toContain('recipientPhone');
      await input.setInputFiles({ name: 'manifest.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
      await page.getByTestId('manifest-start').click();
      await page.getByTestId('manifest-result').waitFor();
      expect(await page.getByTestId('manifest-result').innerText()).toContain('2');
      await page.getByTestId('manifest-progress').waitFor();

      // Search by waybill: the timeline, personal data masked.
      await page.getByRole('tab', { name: '运单查询' }).click();
      await page.getByTestId('parcel-waybill').fill(good);
      await page.getByTestId('parcel-search').click();
      await page.getByTestId('parcel-table').locator('.ant-table-row').filter({ hasText: good }).first().click();
      await page.getByTestId('parcel-timeline').waitFor();
      expect(await page.getByTestId('parcel-timeline').innerText()).toContain('收到清单');
      const recipient = await page.getByTestId('parcel-recipient').innerText();
      expect(recipient).not.toContain('13900001111');
      expect(await page.locator('body').innerText()).not.toContain('13900001111');
      // By recipient phone (sent in the body): the other parcel, masked.
      await page.getByTestId('parcel-waybill').fill('');
      await page.getByTestId('parcel-phone').fill('13900002222');
      await page.getByTestId('parcel-search').click();
      await page.getByTestId('parcel-table').locator('.ant-table-row').filter({ hasText: lost }).waitFor();
      expect(await page.getByTestId('parcel-table').innerText()).not.toContain('13900002222');

      // The unresolved address is in the queue; the clerk picks 合江村 by search.
      await page.getByRole('tab', { name: '地址异常队列' }).click();
      const row = page.getByTestId('queue-table').locator('.ant-table-row').filter({ hasText: lost });
      await row.waitFor();
      await row.getByTestId('queue-assign').click();
      await page.getByTestId('assign-village-search').click();
      await page.keyboard.type('合江');
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '合江村' }).first().click();
      await page.getByTestId('assign-ok').click();
      await page.getByTestId('assign-done').waitFor();
      expect(await page.getByTestId('assign-done').innerText()).toContain('合江村');
      await expect.poll(() => row.count()).toBe(0);
      await page.screenshot({ path: join(ARTIFACTS, 'address-queue.png') });
    });
    const found = await admin.get<{ items: { waybillNo: string; villageCode: string | null; addressStatus: string }[] }>(`/api/v1/parcels?waybill=${lost}&county=${SANDU}`);
    expect(found.items[0]).toMatchObject({ addressStatus: 'assigned' });
  });

  test('outbound: a shipper is created, a quote priced, orders imported with a row report, labels downloaded, and collected parcels show in the summary', async () => {
    const sandu = await Api.login(stack.url, 'sandu');
    const header = '订单编号,收货人姓名,联系手机,收货地址,宝贝标题,购买数量,重量(kg)';
    const csv = [header, 'E2E-1,王五,13900001111,浙江省杭州市西湖区文三路1号,米粉,1,1.2', 'E2E-2,赵六,1390000,浙江省杭州市西湖区文三路2号,米粉,1,1.2', 'E2E-3,钱七,13900003333,广东省深圳市南山区科技园1号,茶叶,2,0.8'].join('\n');
    await withSession(sandu.token, async (s) => {
      const { page } = s;
      await page.goto(`${stack.url}/dashboard`);
      await openMenu(page, '黔货出山');
      await page.getByRole('tab', { name: '寄件客户' }).click();
      await page.getByTestId('shipper-create').click();
      const form = page.getByTestId('shipper-form');
      await form.waitFor();
      await form.locator('#code').fill('E2E-NOODLE');
      await form.locator('#name').fill('E2E米粉合作社');
      await form.locator('#pickupDivisionCode').fill('522732111285');
      await form.locator('#pickupAddress').fill('尧吕村2组仓库');
      await form.locator('#contactName').fill('潘国强');
      await form.locator('#contactPhone').fill('13908541234');
      await page.getByTestId('shipper-save').click();
      await page.getByTestId('shippers-table').locator('.ant-table-row').filter({ hasText: 'E2E-NOODLE' }).waitFor();

      // A quote with its breakdown.
      await page.getByRole('tab', { name: '资费与报价' }).click();
      await page.getByTestId('tariffs-table').locator('.ant-table-row').first().waitFor();
      await page.getByTestId('quote-address').fill('广东省深圳市南山区科技园1号');
      await page.locator('#weightKg').fill('1.2');
      await page.getByTestId('quote-submit').click();
      await expect.poll(() => page.getByTestId('quote-total').innerText()).toContain('15.00');

      // Import (valid rows only): two orders, one rejected row reported with its row number.
      await page.getByRole('tab', { name: '订单与面单' }).click();
      await pickOption(page, 'orders-shipper', 'E2E-NOODLE');
      await page.getByText('仅导入有效行').click();
      await page.getByTestId('orders-import').locator('input[type="file"]').setInputFiles({ name: 'orders.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
      await page.getByTestId('orders-import-start').click();
      await page.getByTestId('orders-import-result').waitFor({ timeout: 60_000 });
      const report = page.getByTestId('orders-import-report');
      const cells = await report.locator('.ant-table-row').first().locator('td').allInnerTexts();
      expect(cells[0]?.trim()).toBe('3');
      const rows = page.getByTestId('orders-table').locator('.ant-table-row');
      await expect.poll(() => rows.count()).toBe(2);
      expect(await page.getByTestId('orders-table').innerText()).not.toContain('13900001111');
      // Labels of the import as a thermal PDF.
      const download = page.waitForEvent('download');
      await page.getByTestId('labels-thermal').click();
      const file = await download;
      expect(file.suggestedFilename()).toMatch(/\.pdf$/);
      await page.getByTestId('labels-result').waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'outbound-orders.png') });
    });

    // Collection on a route run (API), then the summary counts the parcels out.
    const shippers = await sandu.get<{ items: { id: string; code: string }[] }>(`/api/v1/shippers?county=${SANDU}`);
    const shipper = shippers.items.find((x) => x.code === 'E2E-NOODLE');
    const orders = await sandu.get<{ items: { waybillNo: string }[] }>(`/api/v1/orders?shipperId=${shipper?.id ?? ''}`);
    const routes = await sandu.get<{ items: { id: string }[] }>(`/api/v1/routes?county=${SANDU}&limit=1`);
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const task = await post<{ id: string }>(sandu, '/api/v1/pickup-tasks', { shipperId: shipper?.id, plannedDate: today, expectedParcels: 2, routeId: routes.items[0]?.id });
    await post(sandu, `/api/v1/pickup-tasks/${task.id}/scans`, { waybillNos: orders.items.map((o) => o.waybillNo) });
    await withSession(sandu.token, async ({ page }) => {
      await page.goto(`${stack.url}/outbound?tab=pickups`);
      await page.getByTestId('pickups-table').locator('.ant-table-row').filter({ hasText: '2 / 2' }).waitFor();
      await page.getByRole('tab', { name: '寄出统计' }).click();
      await expect.poll(() => page.getByTestId('outbound-total').innerText()).toContain('2');
      await page.getByTestId('outbound-chart').locator('canvas').waitFor();
      expect(await page.getByTestId('outbound-by-county').innerText()).toContain('三都');
      await page.screenshot({ path: join(ARTIFACTS, 'outbound-summary.png') });
    });

    // A single parcel typed in at the counter: numbered, priced, the recipient masked on screen.
    await withSession(sandu.token, async ({ page }) => {
      await page.goto(`${stack.url}/outbound?tab=orders`);
      const form = page.getByTestId('single-order-form');
      await pickOption(page, 'single-order-shipper', 'E2E-NOODLE');
      await form.locator('#recipient_name').fill('王小明');
      await form.locator('#recipient_phone').fill('13912345678');
      await form.locator('#recipient_address').fill('广东省广州市天河区体育西路1号');
      await form.locator('#weightKg').fill('2');
      await page.getByTestId('single-order-submit').click();
      const result = page.getByTestId('single-order-result');
      await result.waitFor();
      const text = await result.innerText();
      expect(text).not.toContain('13912345678');
      const waybill = (await page.getByTestId('single-order-waybill').innerText()).trim();
      const api = await sandu.get<{ items: { waybillNo: string; priceFen: number; tariffVersion: string }[] }>(`/api/v1/orders?waybillNo=${waybill}`);
      expect(api.items).toHaveLength(1);
      expect(api.items[0]!.priceFen).toBeGreaterThan(0);
      expect(text).toContain(api.items[0]!.tariffVersion);
    });
  });

  test('webhooks: the deliveries list opens and a partner status code is saved (a bad code is refused on its row)', async () => {
    await withSession(admin.token, async (s) => {
      const { page } = s;
      s.allowHttpError(/\/api\/v1\/partners\/[^/]+\/(webhook|status-mapping)$/);
      await page.goto(`${stack.url}/dashboard`);
      await openMenu(page, '推送与状态映射');
      await page.getByTestId('deliveries-table').waitFor();
      await page.getByRole('tab', { name: '状态码映射' }).click();
      await pickOption(page, 'mapping-partner', 'ZTO');
      const input = page.getByTestId('mapping-delivered');
      await input.waitFor();
      await input.fill('bad code!');
      await page.getByTestId('mapping-save').click();
      await page.getByTestId('mapping-table').locator('.ant-typography-danger').first().waitFor();
      await input.fill('SIGNED_E2E');
      await page.getByTestId('mapping-save').click();
      await page.getByTestId('mapping-saved').waitFor();
    });
    const v = await admin.get<{ mapping: Record<string, string> }>('/api/v1/partners/ZTO/status-mapping');
    expect(v.mapping.delivered).toBe('SIGNED_E2E');
  });

  test('stations: a keeper shelves a station parcel, a wrong pickup code is refused, the shelf and the SMS list show it', async () => {
    const outlets = await admin.get<{ items: { code: string; kind: string }[] }>('/api/v1/outlets?county=522701&limit=1000');
    const outlet = outlets.items.filter((o) => o.kind === 'postal_office' || o.kind === 'agency_office').map((o) => o.code).sort()[0] ?? '';
    const w = waybill();
    const fd = new FormData();
    fd.append('file', new Blob([`运单号,收件人,收件人电话,收件地址,重量kg,服务\n${w},张小娟,13812345678,贵州省黔南州都匀市墨冲镇鸡贾村,1.2,驿站\n`], { type: 'text/csv' }), 'm.csv');
    const up = await fetch(`${stack.url}/api/v1/manifests/upload?partner=ZTO&outlet=${encodeURIComponent(outlet)}`, { method: 'POST', headers: { authorization: `Bearer ${admin.token}` }, body: fd });
    expect(`${up.status} ${up.status === 201 ? '' : await up.text()}`).toBe('201 ');
    const keeper = await Api.login(stack.url, 'jijia');
    await withSession(keeper.token, async (s) => {
      const { page } = s;
      s.allowHttpError(/\/api\/v1\/stations\/[^/]+\/pickup$/);
      await page.goto(`${stack.url}/stations`);
      const inbound = page.getByTestId('station-inbound');
      await inbound.locator('#waybillNo').fill(w);
      await page.getByTestId('station-inbound-submit').click();
      await page.getByTestId('station-inbound-done').waitFor();
      expect(await page.getByTestId('station-inbound-done').innerText()).toContain(w);
      const pickup = page.getByTestId('station-pickup');
      await pickup.locator('#code').fill('000000');
      await pickup.locator('#phoneLast4').fill('5678');
      await page.getByTestId('station-pickup-submit').click();
      await page.getByTestId('station-pickup-error').waitFor();
      await page.getByRole('tab', { name: '货架' }).click();
      await page.getByTestId('shelf-table').locator('.ant-table-row').filter({ hasText: w }).waitFor();
      expect(await page.getByTestId('shelf-table').innerText()).not.toContain('13812345678');
      await page.getByRole('tab', { name: '短信通知' }).click();
      await page.getByTestId('notifications-table').locator('.ant-table-row').first().waitFor();
      expect(await page.getByTestId('notifications-table').innerText()).not.toContain('13812345678');
    });
  });

  test('settlement: a county manager computes and issues a partner statement; it is listed as issued', async () => {
    const sandu = await Api.login(stack.url, 'sandu');
    await withSession(sandu.token, async ({ page }) => {
      await page.goto(`${stack.url}/dashboard`);
      await openMenu(page, '结算与争议');
      await pickOption(page, 'statement-partner', 'ZTO');
      await page.getByTestId('statement-compute').click();
      await page.getByTestId('statement-total').waitFor();
      await page.getByTestId('statement-issue').click();
      await page.getByTestId('statement-issued').waitFor();
      await page.getByRole('tab', { name: '已出账单' }).click();
      await page.getByTestId('issued-table').locator('.ant-table-row').filter({ hasText: 'ZTO' }).first().waitFor();
      await page.getByRole('tab', { name: '争议' }).click();
      await page.getByTestId('disputes-table').waitFor();
    });
  });
});
