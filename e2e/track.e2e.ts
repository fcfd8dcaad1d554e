import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Api, ARTIFACTS, launchBrowser, type Session, startStack, type Stack, withSession } from './support/harness.ts';

// Public tracking page (/track, /track/:waybillNo) on a phone-sized screen with no session, against
// the real server on a fresh database with the demo network. The harness's guard fails a test on
// any console error, page error, unexpected HTTP error or request leaving the server.

const HEJIANG = 'AG522732111-01'; // 合江代办所, 三都县
const PHONE = { width: 390, height: 844 };
const FULL_PHONE = '13812345678';

let stack: Stack;
let browser: Browser;
let waybill: string;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
  const zto = await Api.login(stack.url, 'zto');
  waybill = `TRK${Date.now().toString().slice(-9)}`;
  const res = await fetch(`${zto.base}/partner/v1/manifests`, {
    method: 'POST',
    headers: { authorization: `Bearer ${zto.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ outletCode: HEJIANG, parcels: [{ waybillNo: waybill, recipientName: '张小娟', recipientPhone: FULL_PHONE, address: '贵州省黔南州三都县大河镇合江村二组', weightKg: 1.2, service: 'door' }] }),
  });
  if (!res.ok) throw new Error(`manifest: HTTP ${res.status} ${await res.text()}`);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const run = (body: (s: Session) => Promise<void>) => withSession(browser, stack.url, undefined, body, PHONE);

/** The page fits the phone's width: nothing scrolls sideways. */
async function fitsWidth(s: Session): Promise<void> {
  const overflow = await s.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

describe('public tracking', () => {
  test('a recipient without login sees the masked parcel and its timeline', async () => {
    await run(async (s) => {
      const { page } = s;
      await page.goto(`${stack.url}/track/${waybill}`);
      await expect.poll(() => page.getByTestId('track-recipient').innerText(), { timeout: 30_000 }).toContain('张*娟');
      await expect.poll(() => page.getByTestId('track-recipient').innerText()).toContain('138******78');
      expect(new URL(page.url()).pathname).toBe(`/track/${waybill}`); // not sent to /login
      const timeline = await page.getByTestId('track-timeline').innerText();
      expect(timeline).toContain('收到清单');
      expect(timeline).toContain('合江代办所');
      expect(await page.getByTestId('track-status').innerText()).toBe('已建单');
      const text = await page.locator('body').innerText();
      expect(text).toContain('中通');
      expect(text).not.toContain(FULL_PHONE);
      expect(text).not.toContain('张小娟');
      expect(await page.content()).not.toContain(FULL_PHONE);
      await fitsWidth(s);
      await page.screenshot({ path: join(ARTIFACTS, 'track-390x844.png'), fullPage: true });
    });
  });

  test('the search box trims spaces and opens the result; bad input and unknown numbers are explained', async () => {
    await run(async (s) => {
      const { page } = s;
      s.allowHttpError(/\/api\/v1\/track\//);
      await page.goto(`${stack.url}/login`);
      await page.getByTestId('login-track-link').click();
      await page.waitForURL((u) => u.pathname === '/track');
      const input = page.locator('input#track-input');
      await input.fill('  a!  ');
      await input.press('Enter');
      await expect.poll(() => page.getByTestId('track-bad-input').isVisible()).toBe(true);
      expect(new URL(page.url()).pathname).toBe('/track');

      await input.fill(`  ${waybill.slice(0, 5)} ${waybill.slice(5)}  `);
      await input.press('Enter');
      await page.waitForURL((u) => u.pathname === `/track/${waybill}`);
      await expect.poll(() => page.getByTestId('track-recipient').innerText(), { timeout: 30_000 }).toContain('张*娟');

      await page.goto(`${stack.url}/track/NOSUCH000001`);
      await expect.poll(() => page.getByTestId('track-not-found').isVisible(), { timeout: 30_000 }).toBe(true);
      expect(await page.getByTestId('track-not-found').innerText()).toContain('NOSUCH000001');
      await fitsWidth(s);
    });
  });

  test('no network: the page says so, and the retry button finds the parcel once back online', async () => {
    await run(async (s) => {
      const { page } = s;
      s.allowHttpError(/\/api\/v1\/track\//);
      await page.goto(`${stack.url}/track`);
      await page.locator('input#track-input').waitFor();
      await s.context.setOffline(true);
      await page.locator('input#track-input').fill(waybill);
      await page.locator('input#track-input').press('Enter');
      await expect.poll(() => page.getByTestId('track-network').isVisible(), { timeout: 30_000 }).toBe(true);
      await s.context.setOffline(false);
      await page.getByTestId('track-retry').click();
      await expect.poll(() => page.getByTestId('track-recipient').innerText(), { timeout: 30_000 }).toContain('张*娟');
    });
  });

  test('in English: the same labels as the parcels page', async () => {
    await run(async (s) => {
      await s.context.addInitScript(() => window.localStorage.setItem('cuntong.lang', 'en'));
      await s.page.goto(`${stack.url}/track/${waybill}`);
      await expect.poll(() => s.page.getByTestId('track-timeline').innerText(), { timeout: 30_000 }).toContain('Manifest received');
      expect(await s.page.getByTestId('track-status').innerText()).toBe('Manifested');
      expect(await s.page.locator('body').innerText()).toContain('Tracking history');
    });
  });

  test('an outbound parcel (黔货出山) by our own waybill number: ordered, awaiting pickup, masked', async () => {
    const sandu = await Api.login(stack.url, 'sandu');
    const shipper = await sandu.send<{ id: string }>('POST', '/api/v1/shippers', {
      code: `E2E-TRK-${Date.now().toString(36)}`, name: '三都水族米粉合作社', kind: 'coop', pickupDivisionCode: '522732111285', pickupAddress: '尧吕村2组仓库',
      contacts: [{ name: '潘国强', phone: '13908541234' }], products: ['米粉'], pricing: 'public',
    });
    const order = await sandu.send<{ id: string; waybillNo: string }>('POST', '/api/v1/orders', { shipperId: shipper.id, recipient: { name: '吴晓梅', phone: '13500002222', address: '北京市朝阳区建国路1号' }, weightG: 800, product: '米粉' });
    await run(async (s) => {
      const { page } = s;
      await page.goto(`${stack.url}/track/${order.waybillNo}`);
      await expect.poll(() => page.getByTestId('track-status').innerText(), { timeout: 30_000 }).toBe('已下单，待揽收');
      const text = await page.locator('body').innerText();
      expect(text).toContain('中国邮政');
      expect(text).toContain('北京');
      expect(text).toContain('暂无轨迹');
      expect(text).toContain('135******22');
      expect(await page.content()).not.toContain('13500002222');
      expect(text).not.toContain('吴晓梅');
    });
  });

  // Last: it spends the address's tracking allowance (TRACK_RATE_LIMIT, 60 a minute per IP).
  test('too many lookups: the page says to try again later', async () => {
    for (let i = 0; i < 200; i++) {
      const res = await fetch(`${stack.url}/api/v1/track/${waybill}`);
      await res.arrayBuffer();
      if (res.status === 429) break;
    }
    await run(async (s) => {
      s.allowHttpError(/\/api\/v1\/track\//);
      await s.page.goto(`${stack.url}/track/${waybill}`);
      await expect.poll(() => s.page.getByTestId('track-rate-limited').isVisible(), { timeout: 30_000 }).toBe(true);
      expect(await s.page.getByTestId('track-rate-limited').innerText()).toContain('请稍后再试');
    });
  });
});
