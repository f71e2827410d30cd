import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WRITE_THEN_READ, corpus } from './support/http.js';
import { databaseBackends } from './support/services.js';
import { testApp, type TestApp } from './support/test-app.js';
import { hostileTxnOps, page, signIn, submitAndWait } from './support/web-fixtures.js';

const backends = await databaseBackends();

/** Job ids on a list page, in order. */
function listedJobs(body: string): string[] {
  return [...body.matchAll(/<a class="mono" href="\/ui\/jobs\/([0-9a-f-]{36})">/g)].map((m) => m[1]!);
}

describe.each(backends)('the web pages (%s)', (backend) => {
  let t: TestApp;
  let cookie: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await testApp('web_pages', {}, backend);
    const auth = await t.token(['submit']);
    cookie = await signIn(t.app, auth);
    // A run with a bug and a scenario, stored as the workers store one (first, so it is the oldest).
    ids.paxosBug = (await t.db.prisma.job.create({ data: { kind: 'run', status: 'done', outcome: 'violated', protocol: 'paxos', attempts: 1, finishedAt: new Date(), spec: { protocol: 'paxos', bug: 'forget-highest-accepted', scenario: 'lease-hazard', nemesis: 'isolate-skewed-leader', seed: 3, ops: 100 } } })).id;
    const casFailure = { history: corpus('knossos/cas-register/bad/cas-failure.edn').toString(), model: 'cas-register', init: 0, source: 'cas-failure.edn' };
    ids.cas = (await submitAndWait(t, auth, '/jobs', casFailure)).id as string;
    ids.ok1 = (await submitAndWait(t, auth, '/jobs?model=register&init=0&source=ok-1.json', WRITE_THEN_READ)).id as string;
    ids.ok2 = (await submitAndWait(t, auth, '/jobs?model=register&init=0&source=ok-2.json', WRITE_THEN_READ)).id as string;
    ids.txn = (await submitAndWait(t, auth, '/jobs?source=dirty.json', hostileTxnOps())).id as string;
    ids.paxos = (await submitAndWait(t, auth, '/jobs', { protocol: 'paxos', nemesis: 'partition-halves', seed: 7, ops: 120 })).id as string;
    // Running, its lease renewed far ahead: no runner takes it over while the tests look at it.
    ids.running = (await t.db.prisma.job.create({ data: { kind: 'check', status: 'running', attempts: 1, heartbeatAt: new Date(Date.now() + 86_400_000), spec: { source: 'waiting.json' } } })).id;
    // Several jobs through embedded Postgres: seen over a minute on a machine loaded far past its cores.
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it('lists jobs newest first with status, kind, source, verdict and anomaly types', async () => {
    const res = await page(t.app, '/ui', cookie);
    expect(res.statusCode).toBe(200);
    expect(listedJobs(res.body)).toEqual([ids.running, ids.paxos, ids.txn, ids.ok2, ids.ok1, ids.cas, ids.paxosBug]);
    expect(res.body).toContain('cas-failure.edn');
    expect(res.body).toContain(`href="/ui/anomalies?type=G1a&amp;jobId=${ids.txn}"`);
    expect(res.body).toContain('isolation <strong>read-uncommitted</strong>');
    // A run shows its protocol, bug (or "correct"), scenario, nemesis and seed, each a link to the runs that share it.
    expect(res.body).toContain('<a class="mono" data-fact="protocol" href="/ui?kind=run&amp;protocol=paxos">paxos</a> <span class="fact small muted" data-fact="bug">correct</span>');
    expect(res.body).toContain('<a class="mono" href="/ui?kind=run&amp;protocol=paxos&amp;nemesis=partition-halves">partition-halves</a>');
    expect(res.body).toContain('<a class="mono" href="/ui?kind=run&amp;protocol=paxos&amp;seed=7">7</a>');
  });

  it('filters the list by status, verdict, kind, protocol, bug, scenario, nemesis, seed and anomaly type', async () => {
    const listed = async (query: string) => listedJobs((await page(t.app, `/ui?${query}`, cookie)).body);
    expect(await listed('outcome=violated')).toEqual(expect.arrayContaining([ids.cas, ids.txn]));
    expect(await listed('outcome=violated')).not.toContain(ids.ok1);
    expect(await listed('status=running&outcome=&kind=&protocol=&anomaly=')).toEqual([ids.running]);
    expect(await listed('kind=run')).toEqual([ids.paxos, ids.paxosBug]);
    expect(await listed('protocol=paxos')).toEqual([ids.paxos, ids.paxosBug]);
    expect(await listed('kind=run&protocol=paxos&nemesis=partition-halves&seed=7')).toEqual([ids.paxos]);
    expect(await listed('seed=7&bug=&scenario=&nemesis=')).toEqual([ids.paxos]);
    expect(await listed('seed=8')).toEqual([]);
    expect(await listed('nemesis=crash-leader')).toEqual([]);
    expect(await listed('bug=forget-highest-accepted')).toEqual([ids.paxosBug]);
    expect(await listed('scenario=lease-hazard')).toEqual([ids.paxosBug]);
    expect((await page(t.app, '/ui?seed=x7', cookie)).statusCode).toBe(400);
    expect(await listed('anomaly=G1a')).toEqual([ids.txn]);
    expect(await listed('anomaly=linearizability')).toEqual([ids.cas]);
    expect((await page(t.app, '/ui?protocol=raft', cookie)).body).toContain('No jobs match these filters');
    const bad = await page(t.app, '/ui?status=sleeping', cookie);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('VRD_ERR_API_INVALID');
  });

  it('pages through the list with a cursor, keeping the filters', async () => {
    const first = (await page(t.app, '/ui?limit=2', cookie)).body;
    expect(listedJobs(first)).toEqual([ids.running, ids.paxos]);
    const next = /<a rel="next" href="([^"]+)">/.exec(first)![1]!.replaceAll('&amp;', '&');
    expect(next).toMatch(/^\/ui\?limit=2&cursor=/);
    const second = (await page(t.app, next, cookie)).body;
    expect(listedJobs(second)).toEqual([ids.txn, ids.ok2]);
    expect(second).toContain('« newest');
    const filtered = (await page(t.app, '/ui?limit=1&outcome=ok', cookie)).body;
    expect(/<a rel="next" href="([^"]+)">/.exec(filtered)![1]).toContain('outcome=ok');
    expect((await page(t.app, '/ui?cursor=bm9wZQ', cookie)).statusCode).toBe(400);
  });

  it('shows a non-linearizable job: witness, longest prefix, blocked op, final paths and the timeline around them', async () => {
    const res = await page(t.app, `/ui/jobs/${ids.cas}`, cookie);
    expect(res.statusCode).toBe(200);
    const body = res.body;
    for (const text of ['Verdict', 'not linearizable', 'Witness:', 'Longest linearizable prefix', 'It cannot follow the longest linearizable prefix', 'Final paths', 'every pending operation fails', 'cas-failure.edn', 'cas-register']) {
      expect(body, text).toContain(text);
    }
    expect(body).toContain('<tr class="witness">');
    expect(body).toMatch(/<section class="card" id="timeline">[\s\S]*<svg [^>]*aria-label="history timeline"/);
    expect(body).toMatch(/<rect class="[a-z]+ hl"/);
    expect(body).toMatch(/Positions 3–531 of 590 history events; drawn: the witness&#39;s \d+ processes \(\d+ other operation\(s\) in this window left out\);\s+the 17 operation\(s\) of the witness are outlined in red, the one that cannot be linearized darkest/);
    // The witness outlined, and the operation that cannot be linearized outlined apart.
    expect(body.match(/<rect class="[a-z]+ hl( bl)?"/g)).toHaveLength(17);
    expect(body.match(/<rect class="[a-z]+ hl bl"/g)).toHaveLength(1);
    // Tooltips number operations as the report does: #244 is the read that cannot be linearized.
    expect(body).toContain('<td class="mono nowrap">#244</td>');
    expect(body).toMatch(/<title>#244 process 70 read\nstatus: ok\ninvoked at 488, completed at 491/);
    for (const file of ['report.json', 'report.txt', 'junit.xml', 'history.jsonl']) expect(body).toContain(`href="/ui/jobs/${ids.cas}/${file}"`);
    // The timeline's inline style is allowed by its hash, and nothing else inline is; the one script by its hash.
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/^default-src 'none'; style-src 'self' 'sha256-[A-Za-z0-9+/]+=*'; script-src 'sha256-[A-Za-z0-9+/]+=*'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/);
    const script = /<script src="([^"]+)" integrity="(sha256-[^"]+)" defer><\/script>/.exec(body)!;
    expect(csp).toContain(`script-src '${script[2]}'`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('shows every level of a protocol run and its availability facts', async () => {
    const body = (await page(t.app, `/ui/jobs/${ids.paxos}`, cookie)).body;
    for (const text of ['Protocol run', 'partition-halves', 'Run and availability', 'Phases', 'Faults', 'reproduce', 'Consistency levels', 'sequential', 'eventual']) {
      expect(body, text).toContain(text);
    }
  });

  it('shows isolation anomalies with their transactions, edges and sentence', async () => {
    const body = (await page(t.app, `/ui/jobs/${ids.txn}`, cookie)).body;
    expect(body).toContain('Isolation anomalies (1)');
    expect(body).toContain('rules out strict-serializable, serializable, snapshot-isolation, repeatable-read, read-committed');
    expect(body).toMatch(/T1 –wr\(.*\)→ T2/);
    expect(body).toContain('which T1 appended and then aborted');
    // Its graph: the two transactions and the wr edge between them, labelled with key and value, downloadable.
    expect(body).toMatch(/<figure class="cycle"><svg [^>]*class="cycle-graph"/);
    expect(body).toMatch(/<g class="edge" data-from="T1" data-to="T2" data-kind="wr" data-key="[^"]+" data-value="1">/);
    const download = await page(t.app, `/ui/jobs/${ids.txn}/anomalies/0/graph.svg`, cookie);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(download.headers['content-disposition']).toBe(`attachment; filename="verdict-${ids.txn!.slice(0, 8)}-0-G1a.svg"`);
    expect(download.headers['content-security-policy']).toContain('sandbox');
    expect(download.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="cycle-graph"/);
    expect((await page(t.app, `/ui/jobs/${ids.txn}/anomalies/1/graph.svg`, cookie)).statusCode).toBe(404);
    expect((await page(t.app, `/ui/jobs/${ids.cas}/anomalies/0/graph.svg`, cookie)).statusCode).toBe(404);
    expect((await page(t.app, `/ui/jobs/${ids.txn}/anomalies/x/graph.svg`, cookie)).statusCode).toBe(400);
  });

  it('draws the timeline focused on the witness by default, and wider on request', async () => {
    const focus = (await page(t.app, `/ui/jobs/${ids.cas}`, cookie)).body;
    expect(focus).toContain('aria-current="true" class="current" data-view="focus"');
    const all = (await page(t.app, `/ui/jobs/${ids.cas}?timeline=all`, cookie)).body;
    expect(all).toContain('aria-current="true" class="current" data-view="all"');
    expect(all).toContain('drawn: every key and process');
    // Widening draws more operations of the same window, never fewer.
    const bars = (body: string): number => body.match(/<g class="op" /g)?.length ?? 0;
    expect(bars(all)).toBeGreaterThan(bars(focus));
    expect((await page(t.app, `/ui/jobs/${ids.cas}?timeline=everything`, cookie)).statusCode).toBe(400);
    // The prefix's steps carry what the script needs to draw them: position and state after each.
    expect(focus).toMatch(/<tr data-seq="prefix" data-step="\d+" data-call="\d+" data-ret="(\d+|open)" data-state="[^"]*" data-what="[^"]*">/);
    expect(focus).toMatch(/<a href="#lin-path-0-\d+">show them on the timeline<\/a>/);
  });

  it('serves the downloads: the same data as the API', async () => {
    const auth = { authorization: `Bearer ${(await t.deps.tokens.create({ name: 'reader', scopes: ['read'] })).secret}` };
    const api = await t.app.inject({ method: 'GET', url: `/jobs/${ids.cas}/report`, headers: auth });
    const json = await page(t.app, `/ui/jobs/${ids.cas}/report.json`, cookie);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.json()).toEqual(api.json());
    expect((await page(t.app, `/ui/jobs/${ids.cas}/report.txt`, cookie)).body).toContain('VERDICT: VIOLATED');
    const junit = await page(t.app, `/ui/jobs/${ids.cas}/junit.xml`, cookie);
    expect(junit.headers['content-disposition']).toBe(`attachment; filename="verdict-${ids.cas}.xml"`);
    expect(junit.body).toContain('<testsuite');
    const history = await page(t.app, `/ui/jobs/${ids.cas}/history.jsonl`, cookie);
    expect(history.body).toBe((await t.app.inject({ method: 'GET', url: `/jobs/${ids.cas}/history`, headers: auth })).body);
    const unfinished = await page(t.app, `/ui/jobs/${ids.running}/report.json`, cookie);
    expect(unfinished.statusCode).toBe(409);
    expect(unfinished.body).toContain('VRD_ERR_JOB_NOT_FINISHED');
  });

  it('shows a job without a report, reloading itself until it finishes', async () => {
    const body = (await page(t.app, `/ui/jobs/${ids.running}`, cookie)).body;
    expect(body).toContain('No report yet: the job is running.');
    expect(body).toContain('<meta http-equiv="refresh" content="5">');
    expect((await page(t.app, `/ui/jobs/${ids.cas}`, cookie)).body).not.toContain('http-equiv="refresh"');
  });

  it('answers unknown jobs and paths with 404 pages, and malformed ids with 400', async () => {
    const unknown = await page(t.app, '/ui/jobs/00000000-0000-4000-8000-000000000000', cookie);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(unknown.body).toContain('VRD_ERR_JOB_NOT_FOUND');
    expect((await page(t.app, '/ui/jobs/00000000-0000-4000-8000-000000000000/junit.xml', cookie)).statusCode).toBe(404);
    expect((await page(t.app, '/ui/jobs/not-a-job', cookie)).statusCode).toBe(400);
    const path = await page(t.app, '/ui/nothing/here', cookie);
    expect(path.statusCode).toBe(404);
    expect(path.body).toContain('VRD_ERR_API_ROUTE');
    // The API's own 404 stays JSON.
    expect((await t.app.inject({ method: 'GET', url: '/nothing' })).headers['content-type']).toContain('application/json');
  });

  it('searches anomalies by type, level ruled out, category and protocol, linking to their jobs', async () => {
    const g1a = (await page(t.app, '/ui/anomalies?type=G1a', cookie)).body;
    expect(g1a).toContain(`href="/ui/jobs/${ids.txn}"`);
    expect(g1a).not.toContain(`href="/ui/jobs/${ids.cas}"`);
    expect(g1a).toContain('which T1 appended and then aborted');
    const lin = (await page(t.app, '/ui/anomalies?category=linearizability&type=&level=&protocol=', cookie)).body;
    expect(lin).toContain(`href="/ui/jobs/${ids.cas}"`);
    expect(lin).toContain('cannot take effect');
    expect((await page(t.app, '/ui/anomalies?level=read-committed', cookie)).body).toContain(`href="/ui/jobs/${ids.txn}"`);
    expect((await page(t.app, '/ui/anomalies?level=strong', cookie)).body).toContain(`href="/ui/jobs/${ids.cas}"`);
    expect((await page(t.app, '/ui/anomalies?protocol=paxos&type=G1a', cookie)).body).toContain('No anomalies match this search');
    expect((await page(t.app, `/ui/anomalies?jobId=${ids.cas}`, cookie)).body).not.toContain(`href="/ui/jobs/${ids.txn}"`);
    expect((await page(t.app, '/ui/anomalies?category=nope', cookie)).statusCode).toBe(400);
  });

  it('serves its stylesheet for good, and keeps the pages out of the OpenAPI document', async () => {
    const home = (await page(t.app, '/ui', cookie)).body;
    const href = /<link rel="stylesheet" href="([^"]+)">/.exec(home)![1]!;
    const css = await t.app.inject({ method: 'GET', url: href });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toContain('immutable');
    const openapi = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths).filter((p) => p.startsWith('/ui'))).toEqual([]);
  });
});
