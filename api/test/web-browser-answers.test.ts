import { mkdir, mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Counterexample, InvariantResult } from '@verdict/checker';
import { corpus } from './support/http.js';
import { databaseBackends } from './support/services.js';
import { testApp, waitForJob, type TestApp } from './support/test-app.js';
import { elementsWiderThanViewport, launchBrowser, requireChromium, signedInContext } from './support/web-browser.js';
import { signIn, submitAndWait } from './support/web-fixtures.js';

const chromiumHere = requireChromium();
const backend = chromiumHere ? (await databaseBackends())[0]! : 'embedded';

/**
 * The README's pictures are taken here from real runs: written to docs/img with
 * VERDICT_UPDATE_SCREENSHOTS=1, to a temporary folder otherwise (so a test run leaves the
 * repository as it was).
 */
const SCREENSHOTS_DIR = process.env.VERDICT_UPDATE_SCREENSHOTS === '1'
  ? fileURLToPath(new URL('../../docs/img/', import.meta.url))
  : await mkdtemp(join(tmpdir(), 'verdict-readme-'));

interface DrawnEdge { from: string; to: string; kind: string; key: string | null; value: string | null }

describe.runIf(chromiumHere)(`the pages answer in Debian's Chromium (${backend})`, () => {
  let t: TestApp;
  let base: string;
  let auth: string;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let tab: Page;
  const ids: Record<string, string> = {};
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];

  const upload = async (file: string, type: string): Promise<string> => {
    const res = await t.app.inject({ method: 'POST', url: `/jobs?source=${encodeURIComponent(file.split('/').pop()!)}`, headers: { authorization: auth, 'content-type': type }, payload: corpus(file) });
    if (res.statusCode !== 202) throw new Error(`upload refused: ${res.statusCode} ${res.body}`);
    const job = await waitForJob(t.app, auth, res.json().id as string, 120_000);
    if (job.status !== 'done') throw new Error(`job ${String(job.id)} ${String(job.status)}`);
    return job.id as string;
  };
  const open = async (path: string): Promise<void> => {
    await tab.goto(`${base}${path}`);
    await tab.locator('h1').first().waitFor();
  };
  const report = async (id: string): Promise<{ linearizability?: { counterexample?: Counterexample } }> => (await t.app.inject({ method: 'GET', url: `/jobs/${id}/report`, headers: { authorization: auth } })).json();

  beforeAll(async () => {
    t = await testApp('web_answers', {}, backend);
    auth = await t.token(['read', 'submit']);
    ids.c50 = await upload('porcupine/kv/c50-bad.txt', 'text/plain');
    ids.g2item = await upload('elle/si-without-g-single.edn', 'application/edn');
    ids.gsingle = await upload('elle/paper-example.edn', 'application/edn');
    ids.lease = (await submitAndWait(t, auth, '/jobs', { protocol: 'paxos', nemesis: 'isolate-skewed-leader', scenario: 'lease-hazard', bug: 'lease-without-drift-margin', seed: 1, ops: 500 })).id as string;
    ids.split = (await submitAndWait(t, auth, '/jobs', { protocol: '3pc', nemesis: 'partition-halves', scenario: 'partition-after-precommit', seed: 1, ops: 300 })).id as string;
    ids.zk = (await submitAndWait(t, auth, '/jobs', { protocol: 'zookeeper', nemesis: 'none', seed: 1, ops: 1_000, bug: 'watch-after-result' })).id as string;
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser({ width: 1280, height: 900 });
    await signedInContext(browser.context, base, await signIn(t.app, auth));
    tab = await browser.context.newPage();
    tab.on('console', (message) => {
      if (/content security policy/i.test(message.text())) cspViolations.push(message.text());
    });
    tab.on('pageerror', (error) => pageErrors.push(error.message));
    await mkdir(SCREENSHOTS_DIR, { recursive: true });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('opens the c50-bad upload on the answer: the blocked read inside the card, only its key drawn', async () => {
    const cx = (await report(ids.c50!)).linearizability!.counterexample!;
    expect(cx.partition).toBe('3');
    await open(`/ui/jobs/${ids.c50}`);
    const card = tab.locator('#timeline');
    await card.scrollIntoViewIfNeeded();
    const cardBox = (await card.boundingBox())!;
    const blocked = tab.locator('#timeline g.op rect.bl');
    expect(await blocked.count()).toBe(1);
    const box = (await blocked.boundingBox())!;
    // Inside the card and the viewport, with no scrolling inside the card.
    expect(box.x).toBeGreaterThanOrEqual(cardBox.x);
    expect(box.x + box.width).toBeLessThanOrEqual(cardBox.x + cardBox.width);
    expect(box.x + box.width).toBeLessThanOrEqual(1280);
    expect(box.width).toBeGreaterThanOrEqual(3);
    expect(await tab.evaluate<boolean>(`(() => { const b = document.querySelector('#timeline .timeline'); return b.scrollWidth <= b.clientWidth; })()`)).toBe(true);
    expect(await tab.locator('#timeline g.op:has(rect.bl)').getAttribute('data-call')).toBe(String(cx.blocked.call));
    // Labelled in full, and the label is visible too.
    const label = tab.locator('#timeline text.op-label.bl-label');
    expect(await label.textContent()).toBe(`✕ cannot follow the prefix: #${cx.blocked.id} get ["3","x 15 6 yx 49 5 yx 49 6 yx 0 1 y"]`);
    const labelBox = (await label.boundingBox())!;
    expect(labelBox.x).toBeGreaterThanOrEqual(cardBox.x);
    expect(labelBox.x + labelBox.width).toBeLessThanOrEqual(cardBox.x + cardBox.width);
    // The focused view draws only the witness's key, on the witness's processes, every witness operation outlined.
    const labels = await tab.locator('#timeline g.op').evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(n: string): string }).getAttribute('data-label')));
    expect(labels.length).toBeGreaterThan(0);
    for (const l of labels) expect(l).toMatch(/^(get|put|append) \["3",/);
    const lanes = await tab.locator('#timeline svg.vt > text.lane').evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(n: string): string }).getAttribute('data-process')));
    const witnessProcesses = [...new Set(cx.witness.operations.map((o) => String(o.process)))].sort();
    expect(lanes.sort()).toEqual(witnessProcesses);
    expect(await tab.locator('#timeline rect.hl').count()).toBe(cx.witness.operations.length);
    await card.screenshot({ path: join(SCREENSHOTS_DIR, 'timeline.png') });

    // Widened to every key and process: more operations, and keys other than "3".
    await tab.click('#timeline a[data-view="all"]');
    await tab.waitForURL(/timeline=all#timeline$/);
    const all = await tab.locator('#timeline g.op').evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(n: string): string }).getAttribute('data-label')));
    expect(all.length).toBeGreaterThan(labels.length);
    expect(all.some((l) => !/^(get|put|append) \["3",/.test(l))).toBe(true);
    expect(await tab.locator('#timeline rect.bl').count()).toBe(1);
    expect(await elementsWiderThanViewport(tab)).toEqual([]);
  });

  it('zooms and pans by keyboard, buttons and mouse, and never draws past the card', async () => {
    const cx = (await report(ids.c50!)).linearizability!.counterexample!;
    await open(`/ui/jobs/${ids.c50}`);
    const box = tab.locator('#timeline .timeline');
    await box.scrollIntoViewIfNeeded();
    const level = tab.locator('#timeline [data-zoom-level]');
    const shown = async (): Promise<[number, number]> => (/positions (\d+)–(\d+)/.exec((await level.textContent())!)!.slice(1).map(Number) as [number, number]);
    const [from0, to0] = await shown();
    // A witness operation near the middle of the view stays in view when zooming in on the middle.
    const middle = cx.witness.operations.reduce((a, b) => (Math.abs(a.call - (from0 + to0) / 2) <= Math.abs(b.call - (from0 + to0) / 2) ? a : b));
    const blockedWidth = async (): Promise<number> => (await tab.locator(`#timeline g.op[data-call="${middle.call}"] rect`).boundingBox())!.width;
    const w0 = await blockedWidth();
    await box.focus();
    await tab.keyboard.press('+');
    const [from1, to1] = await shown();
    expect(to1 - from1).toBeLessThan(to0 - from0);
    expect(await blockedWidth()).toBeGreaterThan(w0);
    await tab.keyboard.press('ArrowRight');
    const [from2] = await shown();
    expect(from2).toBeGreaterThan(from1);
    await tab.keyboard.press('0');
    const [from3, to3] = await shown();
    expect(to3 - from3).toBeGreaterThan(to0 - from0);
    // The buttons and the mouse: zoom in twice, Ctrl+wheel out once, drag to pan.
    await tab.click('#timeline button[data-zoom="in"]');
    await tab.click('#timeline button[data-zoom="in"]');
    const [from4, to4] = await shown();
    expect(to4 - from4).toBeLessThan(to3 - from3);
    const svgBox = (await tab.locator('#timeline svg.vt').boundingBox())!;
    await tab.mouse.move(svgBox.x + svgBox.width / 2, svgBox.y + svgBox.height / 2);
    await tab.keyboard.down('Control');
    await tab.mouse.wheel(0, 100);
    await tab.keyboard.up('Control');
    const [from5, to5] = await shown();
    expect(to5 - from5).toBeGreaterThan(to4 - from4);
    await tab.mouse.down();
    await tab.mouse.move(svgBox.x + svgBox.width / 2 + 200, svgBox.y + svgBox.height / 2, { steps: 5 });
    await tab.mouse.up();
    const [from6] = await shown();
    expect(from6).toBeLessThan(from5);
    expect(await elementsWiderThanViewport(tab)).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  it('steps through the longest prefix and a final path, with the state after each step', async () => {
    const cx = (await report(ids.c50!)).linearizability!.counterexample!;
    await open(`/ui/jobs/${ids.c50}?timeline=key`);
    await tab.click('details.prefix > summary');
    const first = cx.prefixLength - cx.prefix.length + 1;
    await tab.click(`a[href="#lin-prefix-${first}"] >> nth=-1`);
    const panel = tab.locator('#lin-panel');
    await panel.waitFor({ state: 'visible' });
    expect(await panel.locator('[data-lin-title]').textContent()).toBe(`Longest linearizable prefix: 1 of ${cx.prefix.length} step(s) chosen`);
    expect(await panel.locator('li').allTextContents()).toEqual([`${cx.prefix[0]!.op.description} · state after: ${cx.prefix[0]!.state}`]);
    // The page redraws on hashchange, after the click returns: each click waits for its step, or the
    // second would follow the first one's stale "next" link.
    // These functions run in the page (Playwright sends their source; the page's CSP refuses strings to
    // eval), so they name nothing of the test's; its TypeScript has no DOM types, hence the cast.
    type PageNode = { textContent: string | null; hasAttribute(name: string): boolean };
    type PageWindow = { document: { querySelector(s: string): PageNode | null; querySelectorAll(s: string): { length: number } } };
    const panelSteps = async (n: number): Promise<void> => {
      await tab.waitForFunction((k) => (globalThis as unknown as PageWindow).document.querySelectorAll('#lin-panel li').length === k, n, { timeout: 5_000 }).catch(() => undefined);
      expect(await panel.locator('li').count()).toBe(n);
    };
    const panelTitle = async (title: string): Promise<void> => {
      await tab.waitForFunction((t) => (globalThis as unknown as PageWindow).document.querySelector('#lin-panel [data-lin-title]')?.textContent === t, title, { timeout: 5_000 }).catch(() => undefined);
      expect(await panel.locator('[data-lin-title]').textContent()).toBe(title);
    };
    await panel.locator('[data-lin-next]').click();
    await panelSteps(2);
    await panel.locator('[data-lin-next]').click();
    await panelSteps(3);
    // The first steps lie before the witness: the view followed them there.
    expect(await tab.locator('#timeline g.steps text.step-no').allTextContents()).toEqual(['1', '2', '3']);
    // The whole prefix: every step outlined on key "3" (this view), the steps near the witness numbered in view, each state in the panel.
    await tab.goto(`${base}/ui/jobs/${ids.c50}?timeline=key#lin-prefix-${cx.prefixLength}`);
    await panelTitle(`Longest linearizable prefix: ${cx.prefix.length} of ${cx.prefix.length} step(s) chosen`);
    const items = await panel.locator('li').allTextContents();
    expect(items).toEqual(cx.prefix.map((s) => `${s.op.description} · state after: ${s.state}`));
    expect(await tab.locator('#timeline rect.lin').count()).toBe(cx.prefix.length);
    const numbered = (await tab.locator('#timeline g.steps text.step-no').allTextContents()).map(Number);
    expect(numbered).toContain(cx.prefixLength);
    expect(numbered.length).toBeGreaterThanOrEqual(3);
    await tab.locator('#timeline').screenshot({ path: join(SCREENSHOTS_DIR, 'stepping.png') });
    // A final path ends on the operation that cannot go next, marked ✕.
    const path = cx.finalPaths[0]!;
    await tab.click(`a[href="#lin-path-0-${path.steps.length + 1}"]`);
    await tab.waitForURL(new RegExp(`#lin-path-0-${path.steps.length + 1}$`));
    const pathTitle = `${cx.finalPaths.length > 1 ? 'Path 1' : 'Final path'}: ${path.steps.length + 1} of ${path.steps.length + 1} step(s) chosen`;
    await panelTitle(pathTitle);
    expect(await panel.locator('li').last().textContent()).toBe(`✕ ${path.blocked.description} cannot go next`);
    expect(await tab.locator('#timeline g.steps text.step-x').count()).toBe(1);
    // Cleared: no steps drawn, the timeline no longer pinned.
    await panel.locator('a[href="#timeline"]').click();
    await tab.waitForFunction(() => (globalThis as unknown as PageWindow).document.querySelector('#lin-panel')?.hasAttribute('hidden') === true, undefined, { timeout: 5_000 }).catch(() => undefined);
    expect(await tab.locator('#timeline g.steps > *').count()).toBe(0);
    expect(await elementsWiderThanViewport(tab)).toEqual([]);
  });

  it('draws the G2-item and G-single cycle graphs with the right edges', async () => {
    const edgesOf = async (type: string): Promise<{ edges: DrawnEdge[]; nodes: Record<string, string> }> => {
      const figure = tab.locator(`svg.cycle-graph[data-type="${type}"]`);
      await figure.waitFor();
      const edges = await figure.locator('g.edge').evaluateAll((els) => els.map((e) => {
        const a = e as unknown as { getAttribute(n: string): string | null };
        return { from: a.getAttribute('data-from')!, to: a.getAttribute('data-to')!, kind: a.getAttribute('data-kind')!, key: a.getAttribute('data-key'), value: a.getAttribute('data-value') };
      }));
      const nodes = Object.fromEntries(await figure.locator('g.txn').evaluateAll((els) => els.map((e) => [(e as unknown as { getAttribute(n: string): string }).getAttribute('data-name'), (e as unknown as { textContent: string }).textContent])));
      return { edges, nodes: nodes as Record<string, string> };
    };
    // The node a transaction is drawn as, found by one of its micro-ops.
    const nodeWith = (nodes: Record<string, string>, mop: string): string => {
      const names = Object.entries(nodes).filter(([, text]) => text.includes(mop)).map(([n]) => n);
      expect(names, mop).toHaveLength(1);
      return names[0]!;
    };

    // si-without-g-single.edn: Elle's T3 (r 6 nil, r 8 nil, append 9 5) and T4 (append 6 2, r 9 [2]) each miss the other's append.
    await open(`/ui/jobs/${ids.g2item}`);
    const g2 = await edgesOf('G2-item');
    const t3 = nodeWith(g2.nodes, 'append 9 5');
    const t4 = nodeWith(g2.nodes, 'append 6 2');
    expect(g2.edges).toEqual(expect.arrayContaining([
      { from: t3, to: t4, kind: 'rw', key: '6', value: '2' },
      { from: t4, to: t3, kind: 'rw', key: '9', value: '5' },
    ]));
    expect(g2.edges).toHaveLength(2);
    await tab.locator('#anomaly-0 figure.cycle').screenshot({ path: join(SCREENSHOTS_DIR, 'cycle-graph.png') });
    const download = await tab.request.get(`${base}${await tab.locator('#anomaly-0 figcaption a').getAttribute('href')}`);
    expect(download.status()).toBe(200);
    expect(await download.text()).toContain('data-kind="rw" data-key="6" data-value="2"');

    // paper-example.edn (the Elle paper's Figure 2): T1 misses T2's append of 8 to 255 (rw), T3 saw it (wr), T1 appended 3 to 256 after T3's 4 (ww).
    await open(`/ui/jobs/${ids.gsingle}`);
    const single = await edgesOf('G-single');
    const p1 = nodeWith(single.nodes, 'append 250 10');
    const p2 = nodeWith(single.nodes, 'append 255 8');
    const p3 = nodeWith(single.nodes, 'append 256 4');
    expect(single.edges).toEqual(expect.arrayContaining([
      { from: p1, to: p2, kind: 'rw', key: '255', value: '8' },
      { from: p2, to: p3, kind: 'wr', key: '255', value: '8' },
      { from: p3, to: p1, kind: 'ww', key: '256', value: '3' },
    ]));
    expect(single.edges).toHaveLength(3);
  });

  it('shows an invariant violation\'s operations on the timeline, and centres it on another violation', async () => {
    const invariants = ((await t.app.inject({ method: 'GET', url: `/jobs/${ids.zk}/report`, headers: { authorization: auth } })).json() as { invariants: InvariantResult[] }).invariants;
    const i = invariants.findIndex((inv) => inv.name === 'zookeeper-watches');
    const violations = invariants[i]!.violations;
    await open(`/ui/jobs/${ids.zk}`);
    // No counterexample: the timeline opens on the first violation, its operation outlined; a click steps to it.
    await tab.click(`a[href="#lin-inv-${i}-0-1"] >> nth=0`);
    const panel = tab.locator('#lin-panel');
    await panel.waitFor({ state: 'visible' });
    expect(await panel.locator('[data-lin-title]').textContent()).toBe('zookeeper-watches, violation 1: 1 of 1 operation(s) shown');
    const items = await panel.locator('li').allTextContents();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatch(/^zk-\S+ /);
    expect(items[0]).not.toContain('state after');
    expect(await tab.locator('#timeline rect.lin').count()).toBe(1);
    expect(await tab.locator('#timeline g.steps polyline').count()).toBe(0);
    // Another violation, elsewhere in the history: its link reloads the page centred on it, every operation drawn.
    const j = violations.findIndex((v) => v.kind === 'result-before-event');
    const n = violations[j]!.operations.length;
    await tab.click(`#invariant-${i}-violation-${j} p.small a`);
    await tab.waitForURL(new RegExp(`\\?violation=${i}-${j}#lin-inv-${i}-${j}-${n}$`));
    await panel.waitFor({ state: 'visible' });
    expect(await panel.locator('[data-lin-title]').textContent()).toBe(`zookeeper-watches, violation ${j + 1}: ${n} of ${n} operation(s) shown`);
    expect((await panel.locator('li').allTextContents()).filter((text) => text.includes('not drawn in this view'))).toEqual([]);
    expect(await tab.locator('#timeline rect.lin').count()).toBe(n);
    expect(await tab.locator('#timeline g.steps text.step-no').allTextContents()).toEqual(violations[j]!.operations.map((_, k) => String(k + 1)));
    expect(await elementsWiderThanViewport(tab)).toEqual([]);
  });

  it('fits every job page into 1,280 px, with every expander open', async () => {
    const pages = [
      `/ui/jobs/${ids.c50}`, `/ui/jobs/${ids.c50}?timeline=key`, `/ui/jobs/${ids.c50}?timeline=all`,
      `/ui/jobs/${ids.g2item}`, `/ui/jobs/${ids.gsingle}`, `/ui/jobs/${ids.lease}`, `/ui/jobs/${ids.split}`, `/ui/jobs/${ids.zk}`, `/ui/jobs/${ids.zk}?violation=5-5`, '/ui', '/ui/anomalies',
    ];
    for (const path of pages) {
      await open(path);
      expect(await elementsWiderThanViewport(tab), path).toEqual([]);
      await tab.evaluate(`document.querySelectorAll('details').forEach((d) => { d.open = true; })`);
      expect(await elementsWiderThanViewport(tab), `${path} (expanded)`).toEqual([]);
    }
    // The 3PC run's non-atomic commit is drawn too.
    await open(`/ui/jobs/${ids.split}`);
    expect(await tab.locator('svg.cycle-graph[data-type="non-atomic-commit"] g.edge').count()).toBeGreaterThan(0);
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  it('takes the README\'s report picture from a real run', async () => {
    await open(`/ui/jobs/${ids.lease}`);
    await tab.locator('#verdict').screenshot({ path: join(SCREENSHOTS_DIR, 'report.png') });
    for (const file of ['report.png', 'timeline.png', 'stepping.png', 'cycle-graph.png']) {
      expect((await stat(join(SCREENSHOTS_DIR, file))).size, file).toBeGreaterThan(5_000);
    }
    console.info(`README pictures in ${SCREENSHOTS_DIR}`);
  });
});
