import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pdfText } from '../packages/labels/src/test-support/raster.ts';
import { Api, ARTIFACTS, launchBrowser, openMenu, pickOption, type Session, startStack, type Stack, withSession as runSession } from './support/harness.ts';

// The daily dispatch page (menu 每日派件) against the real server on a fresh demo database:
// a morning's parcels at an outlet are dispatched from the accepted plan, the run manifest is
// downloaded and read back, and a bus bag is sealed, handed over and received with its scans.

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

type Plan = {
  id: string;
  days: Array<{ day: number; routes: Array<{ depotId: string; vehicleCode: string; trip: number; stops: Array<{ villageCode: string }> }> }>;
  frequency: Array<{ villageCode: string; depotId: string; busDays: number[] }>;
};
type Dispatch = { id: string; commits: number; runs: Array<{ id: string; vehicleCode: string; trip: number; stops: Array<{ villageCode: string; parcels: Array<{ waybillNo: string }> }> }>; bags: Array<{ villageCode: string; status: string; sealNo: string | null; parcels: Array<{ waybillNo: string }> }> };

/** The branch's local date of the next `day` (1 = Monday) after today. */
function nextDate(day: number): string {
  const today = new Date(Date.now() + 8 * 3600_000);
  for (let k = 1; k <= 7; k++) {
    const d = new Date(today.getTime() + k * 86_400_000);
    if ((d.getUTCDay() === 0 ? 7 : d.getUTCDay()) === day) return d.toISOString().slice(0, 10);
  }
  throw new Error('unreachable');
}

describe('daily dispatch page', () => {
  test('a dispatcher commits the morning’s parcels, downloads the run manifest, and seals, hands over and receives a bus bag', async () => {
    const sandu = await Api.login(stack.url, 'sandu');
    const zto = await Api.login(stack.url, 'zto');
    // an accepted plan for 三都 (the plan runs as a job: follow it)
    let job = await sandu.send<{ id: string; status: string; planId: string | null }>('POST', '/api/v1/plans', { timeLimitS: 10, solverIterations: 0 });
    for (let i = 0; job.status !== 'done'; i++) {
      expect(job.status).not.toBe('failed');
      expect(i).toBeLessThan(240);
      await new Promise((r) => setTimeout(r, 500));
      job = await sandu.send('GET', `/api/v1/plan-jobs/${job.id}`);
    }
    const plan = await sandu.send<Plan>('GET', `/api/v1/plans/${job.planId}`);
    await sandu.send('POST', `/api/v1/plans/${plan.id}/accept`, {});
    // an outlet with a bus village served on a day its carriers also go out
    const row = plan.frequency.find((f) => f.busDays.some((d) => plan.days.some((x) => x.day === d && x.routes.some((r) => r.depotId === f.depotId && r.stops.length > 0))))!;
    const day = row.busDays.find((d) => plan.days.some((x) => x.day === d && x.routes.some((r) => r.depotId === row.depotId && r.stops.length > 0)))!;
    const route = plan.days.find((x) => x.day === day)!.routes.find((r) => r.depotId === row.depotId && r.stops.length > 0)!;
    const carrierVillage = route.stops[0]!.villageCode;
    const date = nextDate(day);
    const outlets = await sandu.send<{ items: Array<{ id: string; code: string; name: string }> }>('GET', '/api/v1/outlets?county=522732&limit=1000');
    const outlet = outlets.items.find((o) => o.id === row.depotId)!;
    // the morning's parcels: two for the carrier's first stop, two for the bus village
    const villages = [carrierVillage, carrierVillage, row.villageCode, row.villageCode];
    const waybills = villages.map((_, i) => `E2ED${Date.now().toString().slice(-7)}${i}`);
    const m = await zto.send<{ parcels: Array<{ parcelId: string }> }>('POST', '/partner/v1/manifests', { outletCode: outlet.code, parcels: waybills.map((w) => ({ waybillNo: w, recipientName: '李春花', recipientPhone: '13987654321', address: '贵州省黔南州三都县', weightKg: 1.5, service: 'door' })) });
    const ids = m.parcels.map((p) => p.parcelId);
    for (const [i, id] of ids.entries()) await sandu.send('POST', `/api/v1/parcels/${id}/village`, { villageCode: villages[i] });
    await sandu.send('POST', '/api/v1/events/batch', { events: ids.map((id) => ({ eventId: randomUUID(), parcelId: id, type: 'handed_over', eventTime: new Date(Date.now() - 60_000).toISOString() })) });

    await runSession(browser, stack.url, sandu.token, async (s) => {
      const { page } = s;
      await page.goto(`${stack.url}/dashboard`);
      await openMenu(page, '每日派件');
      await page.getByTestId('day-dispatch-form').waitFor();
      await pickOption(page, 'dispatch-outlet', outlet.name);
      await page.getByTestId('dispatch-date').fill(date);
      await page.getByTestId('dispatch-none').waitFor();
      await page.getByTestId('dispatch-commit').click();
      await page.getByTestId('day-dispatch').waitFor({ timeout: 30_000 });
      await expect.poll(() => page.getByTestId('dispatch-commits').innerText()).toBe('1');
      const d = await sandu.send<Dispatch>('GET', `/api/v1/outlets/${outlet.id}/dispatch/${date}`);
      const run = d.runs.find((r) => r.stops.some((st) => st.parcels.some((p) => p.waybillNo === waybills[0])))!;
      expect(run.stops.find((st) => st.villageCode === carrierVillage)!.parcels.map((p) => p.waybillNo).sort()).toEqual([waybills[0], waybills[1]].sort());
      expect(d.bags.find((b) => b.villageCode === row.villageCode)!.parcels.map((p) => p.waybillNo).sort()).toEqual([waybills[2], waybills[3]].sort());
      await page.screenshot({ path: join(ARTIFACTS, 'day-dispatch.png') });

      // the run manifest: a PDF with the stop, both waybills, masked recipients
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`run-manifest-${run.vehicleCode}-${run.trip}`).click()]);
      const file = join(ARTIFACTS, 'run-manifest.pdf');
      await download.saveAs(file);
      const text = pdfText(new Uint8Array(readFileSync(file)));
      expect(text).toContain('投递路单');
      expect(text).toContain(waybills[0]!);
      expect(text).toContain(waybills[1]!);
      expect(text).toContain('李*花');
      expect(text).not.toContain('13987654321');

      // the bus bag: seal, hand to the bus crew, receive at the village station with both parcels scanned
      const v = row.villageCode;
      await page.getByTestId(`bag-seal-${v}`).click();
      await page.getByTestId('bag-seal-input').fill('E2E-SEAL-01');
      await page.getByTestId('bag-dialog-ok').click();
      await expect.poll(() => page.getByTestId(`bag-status-${v}`).innerText()).toBe('已施封');
      await page.getByTestId(`bag-handover-${v}`).click();
      await page.getByTestId('bag-crew-input').fill('王师傅');
      await page.getByTestId('bag-dialog-ok').click();
      await expect.poll(() => page.getByTestId(`bag-status-${v}`).innerText()).toBe('已交客车');
      await page.getByTestId(`bag-receive-${v}`).click();
      await page.getByTestId('bag-scanned-input').fill(`${waybills[2]}\n${waybills[3]}`);
      await page.getByTestId('bag-dialog-ok').click();
      await expect.poll(() => page.getByTestId(`bag-status-${v}`).innerText()).toBe('已接收');
      expect(await page.getByTestId(`bag-reconciliation-${v}`).innerText()).toContain('实收 2 件，短少 0 件，多出 0 件');
      const after = await sandu.send<Dispatch>('GET', `/api/v1/outlets/${outlet.id}/dispatch/${date}`);
      expect(after.bags.find((b) => b.villageCode === v)).toMatchObject({ status: 'received', sealNo: 'E2E-SEAL-01' });
      const parcel = await sandu.send<{ status: string }>('GET', `/api/v1/parcels/${ids[2]}`);
      expect(parcel.status).toBe('at_stop');
    });
  });
});
