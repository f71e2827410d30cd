import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { databaseBackends } from './support/services.js';
import { testApp, type TestApp } from './support/test-app.js';
import { elementsWiderThanViewport, launchBrowser, requireChromium } from './support/web-browser.js';
import { HOSTILE, hostileKvOps, hostileTxnOps, submitAndWait } from './support/web-fixtures.js';

const chromiumHere = requireChromium();
// The machine's Postgres when it is there (always in CI), else the embedded one.
const backend = chromiumHere ? (await databaseBackends())[0]! : 'embedded';

describe('without Chromium', () => {
  it('fails in CI and skips loudly elsewhere', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.stubEnv('VERDICT_CI', '');
    try {
      expect(requireChromium('/nonexistent/chromium')).toBe(false);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('SKIPPING the browser tests: Chromium at /nonexistent/chromium'));
      vi.stubEnv('VERDICT_CI', '1');
      expect(() => requireChromium('/nonexistent/chromium')).toThrow(/not installed, and VERDICT_CI=1/);
    } finally {
      vi.unstubAllEnvs();
      warn.mockRestore();
    }
  });
});

describe.runIf(chromiumHere)(`the pages in Debian's Chromium (${backend})`, () => {
  let t: TestApp;
  let base: string;
  let token: string;
  let kvJob: string;
  let browser: { context: BrowserContext; close(): Promise<void> };
  let tab: Page;
  const dialogs: string[] = [];
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    t = await testApp('web_browser', {}, backend);
    const auth = await t.token(['read', 'submit'], 'browsers');
    token = auth.replace('Bearer ', '');
    kvJob = (await submitAndWait(t, auth, `/jobs?model=kv&source=${encodeURIComponent(HOSTILE.source)}`, hostileKvOps())).id as string;
    await submitAndWait(t, auth, '/jobs?source=dirty-read.json', hostileTxnOps());
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
    tab = await browser.context.newPage();
    tab.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    tab.on('console', (message) => {
      if (/content security policy/i.test(message.text())) cspViolations.push(message.text());
    });
    tab.on('pageerror', (error) => pageErrors.push(error.message));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in through the login form and lists the team\'s jobs', async () => {
    await tab.goto(`${base}/ui`);
    expect(new URL(tab.url()).pathname).toBe('/ui/login');
    await tab.fill('input[name=token]', token);
    await tab.click('button[type=submit]');
    await tab.waitForURL(`${base}/ui`);
    await expect(tab.locator('h1').textContent()).resolves.toBe('Jobs');
    expect(await tab.locator('table.jobs tbody tr').count()).toBe(2);
    const cookies = await browser.context.cookies(`${base}/ui`);
    expect(cookies).toEqual([expect.objectContaining({ name: 'verdict_session', path: '/ui', httpOnly: true, sameSite: 'Strict' })]);
    // No script may read it.
    expect(await tab.evaluate<string>('document.cookie')).toBe('');
  });

  it('clicks through to the non-linearizable job: the counterexample and the timeline are there', async () => {
    await tab.click(`a[href="/ui/jobs/${kvJob}"]`);
    await tab.waitForURL(`${base}/ui/jobs/${kvJob}`);
    const counterexample = tab.locator('#counterexample');
    await counterexample.waitFor({ state: 'visible' });
    expect(await counterexample.locator('h3').first().textContent()).toMatch(/^Witness: \d+ operation\(s\)/);
    expect(await tab.locator('#linearizability h2').textContent()).toContain('not linearizable');
    const svg = tab.locator('#timeline svg.vt');
    await svg.waitFor({ state: 'visible' });
    const box = (await svg.boundingBox())!;
    expect(box.width).toBeGreaterThan(100);
    expect(box.height).toBeGreaterThan(40);
    // The timeline's own styles apply (its inline <style> is allowed by hash): the witness (here the
    // read alone, the operation that cannot be linearized) is outlined in dark red.
    const outlined = tab.locator('#timeline rect.hl.bl').first();
    const stroke = await outlined.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { stroke: string } }).getComputedStyle(el).stroke);
    expect(stroke).toBe('rgb(123, 13, 13)');
    expect(await tab.locator('#timeline rect.hl').count()).toBeGreaterThan(0);
  });

  it('shows history values as text, never as markup or script', async () => {
    const text = (await tab.locator('main').innerText());
    for (const value of [HOSTILE.imgValue, HOSTILE.svgBreak, HOSTILE.source]) expect(text).toContain(value);
    expect(await tab.locator('#timeline svg title').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining(HOSTILE.imgValue)]));
    // Hover what a hostile value might have turned into a handler.
    for (const target of await tab.locator('#timeline rect, #counterexample td').all()) await target.hover({ force: true });
    // Page functions are strings: the tests are typed without the DOM library.
    const injected = await tab.evaluate<{ elements: number; handlers: number; svgs: number }>(`({
      elements: document.querySelectorAll('main img, main script, main iframe, main object, main embed, main b, script:not([src^="/ui/static/timeline.js?v="])').length,
      handlers: document.querySelectorAll('[onerror], [onmouseover], [onload], [onclick]').length,
      svgs: document.querySelectorAll('svg').length,
    })`);
    // The timeline: its drawing and the plot clipped inside it.
    expect(injected).toEqual({ elements: 0, handlers: 0, svgs: 2 });
    // Long hostile values wrap: nothing on the page is wider than the window.
    expect(await elementsWiderThanViewport(tab)).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  it('runs its one script by hash, and the script writes history values back as text', async () => {
    // The script ran (it shows the zoom controls), allowed by its hash alone.
    await tab.locator('#timeline .tl-zoom').waitFor({ state: 'visible' });
    // Stepping copies the prefix's values into the panel and the drawing: as text. The one step is
    // a write by a process the witness (the read alone) leaves out, so the panel offers to widen.
    await tab.goto(`${base}/ui/jobs/${kvJob}#lin-prefix-1`);
    const panel = tab.locator('#lin-panel');
    await panel.waitFor({ state: 'visible' });
    expect(await panel.locator('li').textContent()).toContain('(not drawn in this view)');
    await panel.locator('[data-lin-wider] a').click();
    await tab.waitForURL(/\?timeline=key#lin-prefix-1$/);
    await panel.waitFor({ state: 'visible' });
    const steps = await panel.locator('li').allTextContents();
    expect(steps).toHaveLength(1);
    expect(steps[0]).toContain(HOSTILE.imgValue);
    expect(steps[0]).toContain(HOSTILE.attrValue.replaceAll('"', '\\"'));
    expect(await tab.locator('#timeline g.steps title').allTextContents()).toEqual([expect.stringContaining(HOSTILE.imgValue)]);
    const injected = await tab.evaluate<{ elements: number; handlers: number }>(`({
      elements: document.querySelectorAll('main img, main script, main iframe, main object, main embed, main b').length,
      handlers: document.querySelectorAll('[onerror], [onmouseover], [onload], [onclick]').length,
    })`);
    expect(injected).toEqual({ elements: 0, handlers: 0 });
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  it('takes a screenshot of the job page, and of the anomaly search', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'verdict-screens-'));
    const job = join(dir, 'job.png');
    await tab.screenshot({ path: job, fullPage: true });
    expect((await stat(job)).size).toBeGreaterThan(10_000);
    await tab.click('nav a[href="/ui/anomalies"]');
    await tab.waitForURL(`${base}/ui/anomalies`);
    expect(await tab.locator('article.anomaly').count()).toBeGreaterThanOrEqual(2);
    await tab.selectOption('select[name=category]', 'isolation');
    await tab.click('button[type=submit].primary');
    await tab.waitForURL(/category=isolation/);
    expect(await tab.locator('article.anomaly h3 .badge').allTextContents()).toEqual(['G1a']);
    const anomalies = join(dir, 'anomalies.png');
    await tab.screenshot({ path: anomalies, fullPage: true });
    expect((await stat(anomalies)).size).toBeGreaterThan(10_000);
    console.info(`screenshots: ${job} ${anomalies}`);
    expect(dialogs).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  it('downloads with the session and signs out', async () => {
    const report = await tab.request.get(`${base}/ui/jobs/${kvJob}/report.json`);
    expect(report.status()).toBe(200);
    expect(((await report.json()) as { verdict: { outcome: string } }).verdict.outcome).toBe('violated');
    await tab.click('form[action="/ui/logout"] button');
    await tab.waitForURL(/\/ui\/login\?out=1$/);
    expect(await browser.context.cookies(`${base}/ui`)).toEqual([]);
    await tab.goto(`${base}/ui/jobs/${kvJob}`);
    expect(new URL(tab.url()).pathname).toBe('/ui/login');
  });
});
