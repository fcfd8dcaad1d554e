import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { expect } from 'vitest';

// Shared e2e plumbing: the server on a fresh database (or E2E_BASE_URL), Chromium, an API client,
// and a guard that fails a test on any console error, page error or request leaving loopback.

export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
export const VIEWPORT = { width: 1366, height: 768 };
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Stack {
  url: string;
  close(): Promise<void>;
}

/** Builds the console if stale, then starts the server on a fresh data dir with the demo network. */
export async function startStack(): Promise<Stack> {
  const external = process.env.E2E_BASE_URL;
  if (external) return { url: external.replace(/\/$/, ''), close: async () => {} };
  const { ensureWebBuild } = await import('../../apps/web/ensure-build.ts');
  const { distDir } = await ensureWebBuild();
  const { startServer } = await import('../../apps/server/src/main.ts');
  const dataDir = mkdtempSync(join(tmpdir(), 'cuntong-e2e-'));
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, seedDemo: true, logLevel: 'warn', webDist: distDir });
  return {
    url: server.url,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export class Api {
  constructor(
    readonly base: string,
    readonly token: string,
  ) {}

  static async login(base: string, username: string, password = 'demo1234'): Promise<Api> {
    const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (!res.ok) throw new Error(`login ${username}: HTTP ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { token: string };
    return new Api(base, body.token);
  }

  async get<T>(path: string): Promise<T> {
    const res = await fetch(path.startsWith('http') ? path : `${this.base}${path}`, { headers: { authorization: `Bearer ${this.token}` } });
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** Any method, with an optional JSON body; throws on a non-2xx answer. */
  async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}${path}`, { method, headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
}

/** Picks the option containing `text` in the antd Select with `testId` (a click during the dropdown's opening can be dropped: retry). */
export async function pickOption(page: Page, testId: string, text: string): Promise<void> {
  const select = page.getByTestId(testId);
  for (let attempt = 0; ; attempt++) {
    await select.click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first().click();
    try {
      await expect.poll(() => select.innerText(), { timeout: 3000 }).toContain(text);
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      await page.keyboard.press('Escape');
    }
  }
}

/**
 * A fresh browser context (cold cache, empty storage) with a guard: console errors, uncaught page
 * errors and any request to a host other than the server's are collected; `assertClean()` throws.
 * HTTP error responses the test provokes on purpose are allowed with `allowHttpError(pattern)`.
 */
export class Session {
  readonly problems: string[] = [];
  private readonly allowed: RegExp[] = [];
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly base: string,
  ) {}

  static async open(browser: Browser, base: string, token?: string, viewport = VIEWPORT): Promise<Session> {
    const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', hasTouch: viewport.width < 1024 });
    if (token) await context.addInitScript((t: string) => window.localStorage.setItem('cuntong.token', t), token);
    const page = await context.newPage();
    const s = new Session(context, page, base);
    const origin = new URL(base).origin;
    page.on('console', (msg: ConsoleMessage) => {
      if (msg.type() !== 'error') return;
      const where = msg.location().url ?? '';
      if (/Failed to load resource/.test(msg.text()) && s.allowed.some((re) => re.test(where))) return;
      s.problems.push(`console error: ${msg.text()} ${where}`);
    });
    page.on('pageerror', (err) => s.problems.push(`page error: ${err.message}`));
    page.on('request', (req) => {
      const u = req.url();
      if (u.startsWith('data:') || u.startsWith('blob:')) return;
      if (new URL(u).origin !== origin) s.problems.push(`external request: ${u}`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400 && !s.allowed.some((re) => re.test(res.url()))) s.problems.push(`HTTP ${res.status()} ${res.request().method()} ${res.url()}`);
    });
    return s;
  }

  allowHttpError(pattern: RegExp): void {
    this.allowed.push(pattern);
  }

  async loginThroughUi(username: string, password = 'demo1234'): Promise<void> {
    const { page } = this;
    await page.goto(`${this.base}/login`);
    await page.locator('#login-username').fill(username);
    await page.locator('#login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 30_000 });
  }

  assertClean(): void {
    if (this.problems.length) throw new Error(`browser problems:\n${this.problems.join('\n')}`);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/** Clicks a side-menu entry by its visible label. */
export async function openMenu(page: Page, label: string): Promise<void> {
  await page.getByTestId('side-menu').getByText(label, { exact: true }).click();
}

/**
 * Runs `run` in a fresh browser session and fails on any console or page error it saw. On failure a
 * screenshot of what the browser showed goes to test-artifacts/failed-<test name>.png.
 */
export async function withSession(browser: Browser, base: string, token: string | undefined, run: (s: Session) => Promise<void>, viewport?: { width: number; height: number }): Promise<void> {
  const s = await Session.open(browser, base, token, viewport);
  try {
    await run(s);
    s.assertClean();
  } catch (err) {
    const name = (expect.getState().currentTestName ?? 'test').replace(/[^\w一-龥]+/g, '-').slice(0, 80);
    await s.page.screenshot({ path: join(ARTIFACTS, `failed-${name}.png`) }).catch(() => undefined);
    if (s.problems.length) console.error(s.problems.join('\n'));
    throw err;
  } finally {
    await s.close();
  }
}
