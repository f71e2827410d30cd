import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { storeBigHistory } from './support/big-history.js';
import { databaseBackends } from './support/services.js';
import { testApp, type TestApp } from './support/test-app.js';
import { launchBrowser, requireChromium, signedInContext } from './support/web-browser.js';
import { signIn } from './support/web-fixtures.js';

const chromiumHere = requireChromium();
const backend = chromiumHere ? (await databaseBackends())[0]! : 'embedded';

/** The issue's budgets: a job page opens in under 600 ms at 100,000 operations, under 2 s at 1,000,000. */
const BUDGETS = [
  { operations: 100_000, budgetMs: 600 },
  { operations: 1_000_000, budgetMs: 2_000 },
];

describe.runIf(chromiumHere)(`a job page of a huge history opens in time (${backend})`, () => {
  let t: TestApp;
  let base: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let tab: Page;
  const jobs = new Map<number, { id: string; blockedCall: number }>();

  beforeAll(async () => {
    t = await testApp('web_scale', {}, backend);
    for (const { operations } of BUDGETS) {
      const id = (await t.db.prisma.job.create({ data: { kind: 'check', status: 'done', outcome: 'violated', attempts: 1, model: 'kv', spec: { source: `big-${operations}.jsonl`, model: 'kv' }, startedAt: new Date(), finishedAt: new Date() } })).id;
      const blocked = await storeBigHistory(t.db.prisma, id, operations);
      jobs.set(operations, { id, blockedCall: blocked.call });
    }
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
    await signedInContext(browser.context, base, await signIn(t.app, await t.token(['read'])));
    tab = await browser.context.newPage();
    // Warm up (the first database connections, the code paths' first runs): a running service has
    // served pages before; a freshly started process's first answers are not the page's speed.
    await tab.goto(`${base}/ui`);
    for (const { id } of jobs.values()) await tab.goto(`${base}/ui/jobs/${id}`);
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it.each(BUDGETS)('at $operations operations, in under $budgetMs ms, drawing the witness', async ({ operations, budgetMs }) => {
    const job = jobs.get(operations)!;
    // The best of five loads, each until the load event (the page, its stylesheet and script, the
    // script run). The machine is shared with the rest of the suite (and other work), so a slow load
    // can be the machine's: a round that misses is tried again after a pause, three rounds at most.
    // A page that read the whole history (seconds at a million operations) misses every round.
    const rounds: number[][] = [];
    for (let round = 0; round < 3; round++) {
      if (round > 0) await new Promise((r) => setTimeout(r, 2_000));
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        await tab.goto(`${base}/ui/jobs/${job.id}`, { waitUntil: 'load' });
        times.push(performance.now() - start);
      }
      rounds.push(times);
      if (Math.min(...times) < budgetMs) break;
    }
    console.info(`job page at ${operations} operations: ${rounds.map((r) => r.map((ms) => `${Math.round(ms)} ms`).join(', ')).join(' | ')} (budget ${budgetMs} ms)`);
    expect(Math.min(...rounds.at(-1)!)).toBeLessThan(budgetMs);
    // It drew the answer, not an empty frame: the blocked operation, and the witness on key "3" only.
    expect(await tab.locator('#timeline g.op:has(rect.bl)').getAttribute('data-call')).toBe(String(job.blockedCall));
    const labels = await tab.locator('#timeline g.op').evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(n: string): string }).getAttribute('data-label')));
    for (const l of labels) expect(l).toMatch(/^(get|put) \["3",/);
    expect(await tab.locator('#timeline .tl-zoom').isVisible()).toBe(true);
  });
});
