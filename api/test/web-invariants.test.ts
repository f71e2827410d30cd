import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyFromOps, type InvariantResult, type Op, type Operation, type Report } from '@verdict/checker';
import { writeHistory } from '../src/store/history-store.js';
import { invariantsSection } from '../src/web/sections/invariants-section.js';
import { requireService } from './support/services.js';
import { testApp, type TestApp } from './support/test-app.js';
import { HOSTILE, hostileKvOps, liveMarkupIn, page, signIn, submitAndWait } from './support/web-fixtures.js';

const pgUp = await requireService('postgres');

/** ZooKeeper's write guarantee holding, its watch guarantee broken twice (one sentence hostile), and one undecided. */
function zkInvariants(): InvariantResult[] {
  return [
    { name: 'zookeeper-writes', status: 'holds', checks: 'writes and conditional writes are linearizable on their own', observations: 453, counts: {}, violations: [] },
    {
      name: 'zookeeper-watches',
      status: 'violated',
      checks: 'watches are one-shot and their event reaches the client before any later read that reflects the change',
      observations: 173,
      counts: { 'event-without-watch': 11, 'result-before-event': 5 },
      violations: [
        { kind: 'result-before-event', operations: [273, 303], sentence: 'session 7 read /g/p1/a changed at zxid 9 (getData) before the event of its data watch set at zxid 8' },
        { kind: 'event-without-watch', operations: [194], sentence: `session 7 got NodeDataChanged for ${HOSTILE.scriptKey}${HOSTILE.attrValue} with no watch pending there` },
      ],
    },
    { name: 'zookeeper-single-image', status: 'unknown', cause: `budget of ${HOSTILE.imgValue} spent`, checks: 'the zxid a session sees never goes backwards', observations: 12, counts: {}, violations: [] },
  ];
}

/** Operation 273 as read back from a stored history (303 and 194 not found there). */
const LOCATED = new Map<number, Operation>([[273, { id: 273, process: 4, f: 'getData', input: HOSTILE.svgBreak, output: ['v', 3], status: 'ok', call: 610, ret: 613 }]]);

describe('the invariants section of the job page', () => {
  const body = invariantsSection(zkInvariants(), { page: '/ui/jobs/abc', located: LOCATED, searched: true, focused: { invariant: 1, violation: 0 } }).value;

  it('shows every invariant: status, what it checks, observations and counts per kind', () => {
    expect(body).toContain('<h2>Invariants <span class="muted small">1 violated, 1 unknown, 1 holds</span></h2>');
    expect(body).toMatch(/<tr id="invariant-0"><td class="mono">zookeeper-writes<\/td><td><span class="badge st-holds">holds<\/span><\/td>\s*<td>writes and conditional writes are linearizable on their own<\/td>\s*<td class="nowrap">453 writes<\/td><td><span class="muted">none<\/span><\/td><\/tr>/);
    expect(body).toMatch(/<tr id="invariant-1"><td class="mono">zookeeper-watches<\/td><td><span class="badge st-violated">violated<\/span><\/td>/);
    expect(body).toContain('<td class="nowrap">173 observations</td>');
    expect(body).toContain('<a href="#invariant-1-violations"><span class="nowrap">event-without-watch × 11</span>, <span class="nowrap">result-before-event × 5</span></a>');
    // Unknown is never a pass: its badge and its cause.
    expect(body).toContain('<span class="badge st-unknown">unknown</span>');
    expect(body).toContain('<strong>undecided:</strong> budget of &lt;img src=x onerror=alert(1)&gt; spent');
    expect(body).toContain('the first 2 of 16 violations');
  });

  it('lists each violation with its sentence and its operations as links to the timeline', () => {
    expect(body).toContain('<p class="sentence"><span class="badge st-violated">result-before-event</span> session 7 read /g/p1/a changed at zxid 9 (getData) before the event of its data watch set at zxid 8</p>');
    // The violation the timeline is centred on links within the page, for the timeline script to step through.
    expect(body).toContain('data-seq-name="inv-1-0" data-seq-name-text="zookeeper-watches, violation 1"');
    expect(body).toContain('<a href="#lin-inv-1-0-1">show it on the timeline</a>');
    expect(body).toMatch(/<tr data-seq="inv-1-0" data-step="1" data-call="610" data-ret="613" data-what="getData [^"]*"><td class="mono nowrap"><a href="#lin-inv-1-0-1" [^>]*>1\. #273<\/a><\/td><td class="mono">4<\/td>/);
    // Plain operations, not linearization steps: no state after each.
    expect(body).not.toContain('data-state');
    // An operation the stored history did not give back is named by its number.
    expect(body).toContain('operation(s) #303 <span class="muted">');
    // Another violation reloads the page centred on it.
    expect(body).toContain('operation(s) #194 <span class="muted">');
    const other = invariantsSection(zkInvariants(), { page: '/ui/jobs/abc', located: new Map([...LOCATED, [194, { ...LOCATED.get(273)!, id: 194, call: 400, ret: Infinity, status: 'info' }]]), searched: true }).value;
    expect(other).toContain('<a href="/ui/jobs/abc?violation=1-1#lin-inv-1-1-1">show it on the timeline</a>');
    expect(other).toMatch(/<tr data-seq="inv-1-1" data-step="1" data-call="400" data-ret="open" [^>]*><td class="mono nowrap"><a href="\/ui\/jobs\/abc\?violation=1-1#lin-inv-1-1-1" /);
    expect(other).not.toContain('outlined on the timeline');
    // Without a stored history, no links: the numbers and why.
    const unplaced = invariantsSection(zkInvariants(), { page: '/ui/jobs/abc', located: new Map(), searched: false }).value;
    expect(unplaced).toContain('operation(s) #273, #303 <span class="muted">(not placed in a history)</span>');
    expect(unplaced).not.toContain('#lin-');
  });

  it('escapes every value from the history: a hostile sentence or operation stays text', () => {
    expect(liveMarkupIn(body)).toBeUndefined();
    expect(body).toContain('got NodeDataChanged for &lt;script&gt;alert(&quot;key&quot;)&lt;/script&gt;&quot;onmouseover=&quot;alert(2)&quot; x=&quot; with no watch pending there');
    expect(body).toContain('getData &quot;&lt;/svg&gt;&lt;script&gt;alert(3)&lt;/script&gt;&quot; → [&quot;v&quot;,3]');
  });

  it('is left out when the report has no invariants', () => {
    expect(invariantsSection([], { page: '/ui/jobs/abc', located: new Map(), searched: false }).value).toBe('');
  });
});

describe.runIf(pgUp)('the job page of a ZooKeeper run with a broken guarantee', () => {
  let t: TestApp;
  let cookie: string;
  let id: string;
  let auth: string;
  let hostileId: string;

  beforeAll(async () => {
    t = await testApp('web_invariants');
    auth = await t.token(['submit']);
    cookie = await signIn(t.app, auth);
    id = (await submitAndWait(t, auth, '/jobs', { protocol: 'zookeeper', nemesis: 'none', seed: 1, ops: 1_000, bug: 'watch-after-result' })).id as string;
    hostileId = await storeHostileInvariant(t);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('shows the five guarantees, the watches one violated with its sentences and operations', async () => {
    const report = (await t.app.inject({ method: 'GET', url: `/jobs/${id}/report`, headers: { authorization: auth } })).json() as { invariants: InvariantResult[] };
    const watches = report.invariants.findIndex((i) => i.name === 'zookeeper-watches');
    expect(report.invariants[watches]!.status).toBe('violated');
    const res = await page(t.app, `/ui/jobs/${id}`, cookie);
    expect(res.statusCode).toBe(200);
    const body = res.body;
    expect(liveMarkupIn(body)).toBeUndefined();
    expect(body).toContain('<section class="card" id="invariants">');
    // The verdict names the guarantee that broke and leads to the section.
    expect(body).toContain(`<dt>invariants</dt><dd><a href="#invariant-${watches}" class="mono">zookeeper-watches</a> <span class="badge st-violated">violated</span>, <a href="#invariants">5 of 6 hold</a></dd>`);
    for (const inv of report.invariants) {
      expect(body).toMatch(new RegExp(`<td class="mono">${inv.name}</td><td><span class="badge st-${inv.status}">${inv.status}</span>`));
      for (const [kind, n] of Object.entries(inv.counts)) expect(body).toContain(`${kind} × ${n}`);
    }
    for (const name of ['zookeeper-writes', 'zookeeper-multi-atomic', 'zookeeper-single-image', 'zookeeper-ephemeral-expiry', 'zookeeper-sequential-names']) {
      expect(report.invariants.find((i) => i.name === name)?.status, name).toBe('holds');
    }
    const first = report.invariants[watches]!.violations[0]!;
    expect(body).toContain(`<span class="badge st-violated">${first.kind}</span> ${first.sentence}</p>`);
    // With no counterexample to show, the timeline centres on the first violation and outlines its operations.
    expect(body).toMatch(new RegExp(`<a href="#lin-inv-${watches}-0-1" [^>]*>1\\. #${first.operations[0]}</a>`));
    const drawn = new RegExp(`<g class="op" data-call="(\\d+)" data-ret="(\\d+|open)" data-id="${first.operations[0]}"`).exec(body);
    expect(drawn, 'the violation\'s operation is drawn on the timeline').not.toBeNull();
    expect(body).toMatch(new RegExp(`<tr data-seq="inv-${watches}-0" data-step="1" data-call="${drawn![1]}" data-ret="${drawn![2]}"`));
    expect(body).toMatch(/the 1 operation\(s\) of the violation are outlined in red/);
  });

  it('links another violation to the page centred on it, its operations drawn and outlined', async () => {
    const report = (await t.app.inject({ method: 'GET', url: `/jobs/${id}/report`, headers: { authorization: auth } })).json() as { invariants: InvariantResult[] };
    const watches = report.invariants.findIndex((i) => i.name === 'zookeeper-watches');
    const j = report.invariants[watches]!.violations.findIndex((v) => v.kind === 'result-before-event');
    const v = report.invariants[watches]!.violations[j]!;
    expect(v.sentence).toMatch(/read \/g\/\S+ changed at zxid \d+ \((getData|getChildren)\)/);
    const body = (await page(t.app, `/ui/jobs/${id}`, cookie)).body;
    const href = `/ui/jobs/${id}?violation=${watches}-${j}#lin-inv-${watches}-${j}-${v.operations.length}`;
    expect(body).toContain(`<a href="${href}">show all ${v.operations.length} on the timeline</a>`);
    const centred = (await page(t.app, href.split('#')[0]!, cookie)).body;
    for (const op of v.operations) {
      const drawn = new RegExp(`<g class="op" data-call="(\\d+)" data-ret="(\\d+|open)" data-id="${op}" [^>]*><rect class="[a-z]+ hl"`).exec(centred);
      expect(drawn, `operation #${op} drawn and outlined`).not.toBeNull();
    }
    expect(centred).toContain('outlined on the timeline; ');
    expect(centred).toMatch(/operation\(s\) of the violation are outlined in red|of the violation's \d+ operation\(s\) found in this view/);
    expect(centred).not.toContain('of the witness');
    // Each linked row is the operation the report numbers so: as many client invocations before it in the stored history.
    const lines = (await page(t.app, `/ui/jobs/${id}/history.jsonl`, cookie)).body.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { process: unknown; type: string; value: unknown });
    const path = /read (\/g\/\S+) changed/.exec(v.sentence)![1]!;
    v.operations.forEach((op, k) => {
      const row = new RegExp(`<tr data-seq="inv-${watches}-${j}" data-step="${k + 1}" data-call="(\\d+)" data-ret="(\\d+)"[^>]*><td class="mono nowrap"><a href="#lin-inv-${watches}-${j}-${k + 1}"[^>]*>${k + 1}\\. #${op}</a>`).exec(centred);
      expect(row, `operation #${op} listed`).not.toBeNull();
      const [call, ret] = [Number(row![1]), Number(row![2])];
      expect(lines[call]!.type).toBe('invoke');
      expect(lines.slice(0, call).filter((l) => l.type === 'invoke' && l.process !== 'nemesis')).toHaveLength(op);
      expect(lines[ret]!.process).toBe(lines[call]!.process);
      // The read the sentence names: its answer holds the node's path.
      expect(JSON.stringify(lines[ret]!.value)).toContain(path);
    });
    expect((await page(t.app, `/ui/jobs/${id}?violation=x`, cookie)).statusCode).toBe(400);
    // A violation that is not in the report leaves the timeline on its default.
    expect((await page(t.app, `/ui/jobs/${id}?violation=99-0`, cookie)).statusCode).toBe(200);
  });

  it('keeps hostile values text: the violation\'s sentence, the invariant\'s name and the operation read back from the history', async () => {
    const res = await page(t.app, `/ui/jobs/${hostileId}`, cookie);
    expect(res.statusCode).toBe(200);
    expect(liveMarkupIn(res.body)).toBeUndefined();
    const section = res.body.slice(res.body.indexOf('<section class="card" id="invariants">'));
    expect(section).toContain('<td class="mono">&lt;script&gt;alert(&quot;key&quot;)&lt;/script&gt;</td>');
    expect(section).toContain('<span class="badge st-violated">&quot;onmouseover=&quot;alert(2)&quot; x=&quot;</span> &lt;img src=x onerror=alert(1)&gt; read &lt;/svg&gt;&lt;script&gt;alert(3)&lt;/script&gt;</p>');
    // Operation 2, the read by process 1, found in the stored history: the hostile key and value escaped in the row and its data attributes.
    expect(section).toMatch(/<tr data-seq="inv-0-0" data-step="1" data-call="4" data-ret="5" data-what="read \[&quot;&lt;img src=x onerror=alert\(1\)&gt;&quot;,null\] → \[&quot;&lt;img src=x onerror=alert\(1\)&gt;&quot;,&quot;&lt;\/svg&gt;&lt;script&gt;alert\(3\)&lt;\/script&gt;&quot;\]"><td class="mono nowrap"><a href="#lin-inv-0-0-1"/);
    // The timeline centres on it, the hostile `</svg>` inside it still text.
    expect(res.body).toMatch(/<g class="op" data-call="4" data-ret="5" data-id="2" [^>]*><rect class="ok hl"/);
    expect(res.body.match(/<svg[\s>]/g)).toHaveLength(2);
    expect(res.body.match(/<\/svg>/g)).toHaveLength(2);
  });
});

/** A stored check whose report's invariant (name, kind and sentence hostile) names the hostile kv history's read. */
async function storeHostileInvariant(t: TestApp): Promise<string> {
  const jobId = (await t.db.prisma.job.create({ data: { kind: 'check', status: 'done', outcome: 'violated', attempts: 1, spec: { source: 'hostile.jsonl' }, finishedAt: new Date() } })).id;
  await writeHistory(t.db.prisma, jobId, historyFromOps(hostileKvOps() as Omit<Op, 'index'>[], { format: 'jsonl' }), { format: 'jsonl', source: 'hostile.jsonl' });
  const report = {
    version: 1, kind: 'single-object', elapsedMs: 1,
    history: { events: 6, operations: 3, processes: 3, faults: 0 },
    verdict: { outcome: 'violated', summary: `${HOSTILE.scriptKey} invariant violated` },
    invariants: [{
      name: HOSTILE.scriptKey, status: 'violated', checks: HOSTILE.process, observations: 1, counts: { [HOSTILE.attrValue]: 1 },
      violations: [{ kind: HOSTILE.attrValue, operations: [2], sentence: `${HOSTILE.imgValue} read ${HOSTILE.svgBreak}` }],
    }],
  } as unknown as Report;
  await t.db.prisma.report.create({ data: { jobId, kind: 'single-object', outcome: 'violated', levels: [], summary: 'x', body: report as object, elapsedMs: 1 } });
  return jobId;
}
