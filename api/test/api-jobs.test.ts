import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WRITE_THEN_READ, corpus, gzip, multipart, sseEvents } from './support/http.js';
import { databaseBackends } from './support/services.js';
import { testApp, waitForJob, type TestApp } from './support/test-app.js';

const backends = await databaseBackends();

describe.each(backends)('jobs through the API (%s)', (backend) => {
  let t: TestApp;
  let auth: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    // No periodic recovery: the cancel test's job, put in the database by hand, must stay queued
    // until the test cancels it (a reconciler tick would run it first).
    t = await testApp('api_jobs', { reconcileMs: 3_600_000 }, backend);
    auth = await t.token(['submit']);
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (url: string, payload: string | Buffer | object, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, headers: { authorization: auth, ...headers }, payload: payload as string });
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: auth } });

  it('accepts a history in every form and judges each as the corpus expects', async () => {
    const submissions = {
      jsonArray: await post('/jobs?model=register&init=0', WRITE_THEN_READ),
      jsonText: await post('/jobs', { history: corpus('knossos/cas-register/bad/cas-failure.edn').toString(), model: 'cas-register', init: 0, source: 'cas-failure.edn' }),
      jsonlGzipEncoded: await post('/jobs?model=register&init=0&format=jsonl', gzip(WRITE_THEN_READ.map((o) => JSON.stringify(o)).join('\n')), { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' }),
      ednGzipFile: await post('/jobs?model=cas-register&init=0&source=memstress.edn.gz', gzip(corpus('knossos/cas-register/good/memstress3-1.edn')), { 'content-type': 'application/gzip' }),
      porcupineEtcd: await post('/jobs?source=etcd_000.log', corpus('porcupine/jepsen/etcd_000.log'), { 'content-type': 'text/plain' }),
    };
    const form = multipart([{ name: 'source', value: 'c01-ok.txt' }, { name: 'history', value: corpus('porcupine/kv/c01-ok.txt'), filename: 'c01-ok.txt' }]);
    const multipartJob = await post('/jobs', form.body, { 'content-type': form.contentType });
    const all = { ...submissions, multipart: multipartJob };
    for (const [name, res] of Object.entries(all)) {
      expect(res.statusCode, `${name}: ${res.body}`).toBe(202);
      expect(res.headers.location).toBe(`/jobs/${res.json().id}`);
      expect(res.json()).toMatchObject({ kind: 'check', status: 'queued', links: { report: `/jobs/${res.json().id}/report` } });
      ids[name] = res.json().id;
    }
    const expected = { jsonArray: 'ok', jsonText: 'violated', jsonlGzipEncoded: 'ok', ednGzipFile: 'ok', porcupineEtcd: 'violated', multipart: 'ok' };
    for (const [name, outcome] of Object.entries(expected)) {
      const job = await waitForJob(t.app, auth, ids[name]!);
      expect(job, name).toMatchObject({ status: 'done', outcome, attempts: 1 });
    }
    expect((await get(`/jobs/${ids.ednGzipFile}`)).json().spec).toMatchObject({ source: 'memstress.edn.gz', format: 'edn', model: 'cas-register', init: 0 });
    expect((await get(`/jobs/${ids.multipart}/report`)).json().history).toMatchObject({ source: 'c01-ok.txt', format: 'porcupine-kv' });
  });

  it('serves the report as JSON, text, JUnit XML and an SVG timeline', async () => {
    const json = await get(`/jobs/${ids.jsonText}/report`);
    expect(json.statusCode).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.json()).toMatchObject({ version: 1, kind: 'single-object', verdict: { outcome: 'violated' }, linearizability: { outcome: 'illegal' } });
    const text = await get(`/jobs/${ids.jsonText}/report?format=text`);
    expect(text.headers['content-type']).toMatch(/^text\/plain/);
    expect(text.body).toContain('cas-failure.edn');
    const junit = await get(`/jobs/${ids.jsonText}/report?format=junit&require=strong`);
    expect(junit.headers['content-type']).toMatch(/^application\/xml/);
    expect(junit.body).toMatch(/<testcase classname="verdict.requirement" name="require strong"[^>]*>\s*<failure/);
    const svg = await get(`/jobs/${ids.jsonText}/report?format=svg`);
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['content-security-policy']).toContain("default-src 'none'");
    expect(svg.body).toMatch(/^<svg|<\?xml/);
  });

  it('streams a stored history back as JSONL, op for op', async () => {
    const res = await get(`/jobs/${ids.jsonArray}/history`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = res.body.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map(({ process, type, f, value }) => ({ process, type, f, value }))).toEqual(WRITE_THEN_READ);
    const big = await get(`/jobs/${ids.jsonText}/history`);
    expect(big.body.trim().split('\n')).toHaveLength(590);
  });

  it('lists jobs newest first with filters and a cursor through every page', async () => {
    const all = (await get('/jobs?limit=200')).json();
    expect(all.jobs.map((j: { id: string }) => j.id)).toEqual(Object.values(ids).reverse());
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { jobs: { id: string }[]; nextCursor: string | null } = (await get(`/jobs?limit=2${cursor !== null ? `&cursor=${cursor}` : ''}`)).json();
      expect(page.jobs.length).toBeLessThanOrEqual(2);
      seen.push(...page.jobs.map((j: { id: string }) => j.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(all.jobs.map((j: { id: string }) => j.id));
    const violated = (await get('/jobs?outcome=violated')).json().jobs.map((j: { id: string }) => j.id);
    expect(violated.sort()).toEqual([ids.jsonText, ids.porcupineEtcd].sort());
    expect((await get('/jobs?status=done&kind=check')).json().jobs).toHaveLength(6);
    expect((await get('/jobs?status=queued')).json().jobs).toHaveLength(0);
    expect((await get('/jobs?anomaly=linearizability')).json().jobs.map((j: { id: string }) => j.id).sort()).toEqual([ids.jsonText, ids.porcupineEtcd].sort());
    expect((await get('/jobs?protocol=paxos')).json().jobs).toEqual([]);
  });

  it('searches anomalies by type, level, category and job', async () => {
    const res = await get('/anomalies?type=linearizability');
    expect(res.statusCode).toBe(200);
    const found = res.json().anomalies as { jobId: string; level: string; category: string; sentence: string; witness: { operations: unknown[] } }[];
    expect(found.map((a) => a.jobId).sort()).toEqual([ids.jsonText, ids.porcupineEtcd].sort());
    for (const a of found) {
      expect(a).toMatchObject({ level: 'strong', category: 'linearizability' });
      expect(a.sentence.length).toBeGreaterThan(10);
      expect(a.witness.operations.length).toBeGreaterThan(0);
    }
    expect((await get(`/anomalies?jobId=${ids.jsonText}&level=strong&category=linearizability`)).json().anomalies).toHaveLength(1);
    expect((await get('/anomalies?type=G1a')).json()).toEqual({ anomalies: [], nextCursor: null });
    // Values nobody stores are refused, not answered with an empty list.
    const typo = await get('/anomalies?type=linearizabilty');
    expect(typo.statusCode).toBe(400);
    expect(typo.json()).toMatchObject({ code: 'VRD_ERR_API_INVALID', location: { field: 'querystring.type' } });
    expect(typo.json().message).toMatch(/did you mean "linearizability"/);
    for (const bad of ['level=strongest', 'category=consistent']) {
      const res = await get(`/anomalies?${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().location.field).toBe(`querystring.${bad.split('=')[0]}`);
    }
    expect((await get('/anomalies?type=G-single-item')).statusCode).toBe(200);
  });

  it('follows a job with server-sent events until it ends', async () => {
    const submitted = await post('/jobs?model=cas-register&init=0', corpus('knossos/cas-register/good/memstress3-1.edn'), { 'content-type': 'application/edn' });
    const res = await get(`/jobs/${submitted.json().id}/events`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = sseEvents(res.body);
    expect(events[0]?.event).toBe('job');
    expect(events.at(-1)).toEqual({ event: 'end', data: { status: 'done', outcome: 'ok' } });
    const finished = await get(`/jobs/${ids.jsonArray}/events`);
    expect(sseEvents(finished.body).map((e) => e.event)).toEqual(['job', 'end']);
  });

  it('cancels a queued job once; a finished job cannot be cancelled; no report before done', async () => {
    const queued = await t.db.prisma.job.create({ data: { kind: 'check', spec: {}, submittedBy: null } });
    expect((await get(`/jobs/${queued.id}/report`)).json()).toMatchObject({ code: 'VRD_ERR_JOB_NOT_FINISHED', status: 409 });
    expect((await get(`/jobs/${queued.id}/history`)).json()).toMatchObject({ code: 'VRD_ERR_JOB_NOT_FINISHED', status: 409 });
    const del = () => t.app.inject({ method: 'DELETE', url: `/jobs/${queued.id}`, headers: { authorization: auth } });
    const first = await del();
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ status: 'cancelled', error: { code: 'VRD_ERR_JOB_CANCELLED' } });
    expect((await del()).json()).toMatchObject({ code: 'VRD_ERR_JOB_NOT_CANCELLABLE', status: 409 });
    const done = await t.app.inject({ method: 'DELETE', url: `/jobs/${ids.jsonArray}`, headers: { authorization: auth } });
    expect(done.statusCode).toBe(409);
    expect((await get(`/jobs/${queued.id}/report`)).json().message).toContain('cancelled');
  });

  it('runs a protocol in the simulator, stores the history it made, and checks it', async () => {
    const res = await post('/jobs', { protocol: 'paxos', nemesis: 'none', seed: 7, ops: 120 });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ kind: 'run', protocol: 'paxos', spec: { protocol: 'paxos', seed: 7, ops: 120 } });
    const job = await waitForJob(t.app, auth, res.json().id);
    expect(job).toMatchObject({ status: 'done', outcome: 'ok', consistency: 'strong' });
    const report = (await get(`/jobs/${res.json().id}/report`)).json();
    expect(report.run.reproduce).toBe('verdict run --protocol paxos --nemesis none --seed 7 --ops 120');
    const history = (await get(`/jobs/${res.json().id}/history`)).body.trim().split('\n');
    expect(history.length).toBe(report.history.events);
    expect((await get('/jobs?protocol=paxos&kind=run')).json().jobs.map((j: { id: string }) => j.id)).toEqual([res.json().id]);
    const seeded = (await post('/jobs', { protocol: 'paxos', ops: 50 })).json();
    expect(Number.isSafeInteger(seeded.spec.seed)).toBe(true);
    await waitForJob(t.app, auth, seeded.id);
    expect((await post('/jobs', { protocol: 'raft', seed: 1 })).json()).toMatchObject({ code: 'VRD_ERR_RUN_PROTOCOL', status: 400 });
    expect((await post('/jobs', { protocol: 'paxos', seed: 1, bug: 'no-such-bug' })).json()).toMatchObject({ code: 'VRD_ERR_RUN_BUG', status: 400 });
    expect((await post('/jobs', { protocol: 'paxos', seed: 1, ops: 0 })).json()).toMatchObject({ code: 'VRD_ERR_API_INVALID', location: { field: 'body.ops' } });
  });

  it('runs the eventual store in the shape the body gives, and refuses an impossible quorum by field', async () => {
    const res = await post('/jobs', { protocol: 'eventual', nemesis: 'partition-halves', seed: 1, ops: 300, resolve: 'siblings', routing: 'sticky', n: 3, r: 1, w: 1 });
    expect(res.statusCode, res.body).toBe(202);
    const job = await waitForJob(t.app, auth, res.json().id);
    expect(job).toMatchObject({ status: 'done', outcome: 'violated', consistency: 'session' });
    const report = (await get(`/jobs/${res.json().id}/report`)).json();
    expect(report.run.reproduce).toBe('verdict run --protocol eventual --nemesis partition-halves --seed 1 --ops 300 --n 3 --r 1 --w 1 --resolve siblings --routing sticky');
    expect((await post('/jobs', { protocol: 'eventual', seed: 1, r: 5 })).json()).toMatchObject({ code: 'VRD_ERR_RUN_SPEC', status: 400, message: 'invalid run spec: r must be an integer between 1 and n (3), got 5' });
    expect((await post('/jobs', { protocol: 'eventual', seed: 1, resolve: 'majority' })).json()).toMatchObject({ code: 'VRD_ERR_API_INVALID', status: 400 });
  });

  it('answers health, metrics and the OpenAPI document without a token', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.json()).toEqual({ status: 'ok', database: 'ok', queue: 'ok', queueMode: 'in-process', version: 'test' });
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.headers['content-type']).toMatch(/^text\/plain; version=0.0.4/);
    expect(metrics.body).toMatch(/verdict_jobs\{status="done"\} \d+/);
    expect(metrics.body).toContain('verdict_http_requests_total{method="POST",route="/jobs",status="202"}');
    expect(metrics.body).toContain('verdict_queue_jobs{state="active"}');
    const docs = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const operations = Object.entries(docs.paths as Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown; parameters?: unknown[] }>>)
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, op })));
    expect(operations.map((o) => o.route).sort()).toEqual([
      'DELETE /jobs/{id}', 'DELETE /tokens/{id}', 'GET /anomalies', 'GET /healthz', 'GET /jobs', 'GET /jobs/{id}', 'GET /jobs/{id}/events',
      'GET /jobs/{id}/history', 'GET /jobs/{id}/report', 'GET /metrics', 'GET /tokens', 'POST /jobs', 'POST /tokens',
    ]);
    for (const { route, op } of operations) {
      expect(Object.keys(op.responses), route).toContain(route.startsWith('POST') ? (route === 'POST /jobs' ? '202' : '201') : '200');
      if (!['GET /healthz', 'GET /metrics'].includes(route)) expect(Object.keys(op.responses), route).toContain('401');
    }
    expect(operations.find((o) => o.route === 'POST /jobs')!.op.requestBody).toBeDefined();
    const html = await t.app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(html.statusCode);
  });

  it('keeps an uploaded file\'s name to 256 characters, as it keeps a source given as a field', async () => {
    const long = `${'x'.repeat(1_000)}.txt`;
    const form = multipart([{ name: 'history', value: corpus('porcupine/kv/c01-ok.txt'), filename: long }]);
    const res = await post('/jobs', form.body, { 'content-type': form.contentType });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().spec.source).toBe(long.slice(0, 256));
  });

  // Last: it adds a job, which the listing tests above would count.
  it('draws the SVG report as the job page opens: focused on the failing key and the witness', async () => {
    const res = await post('/jobs?source=c50-bad.txt', corpus('porcupine/kv/c50-bad.txt'), { 'content-type': 'text/plain' });
    expect(res.statusCode).toBe(202);
    const job = await waitForJob(t.app, auth, res.json().id);
    expect(job).toMatchObject({ status: 'done', outcome: 'violated' });
    const report = (await get(`/jobs/${res.json().id}/report`)).json();
    const key = report.linearizability.counterexample.partition as string;
    const svg = (await get(`/jobs/${res.json().id}/report?format=svg`)).body;
    const labels = [...svg.matchAll(/<g class="op[^"]*"[^>]*data-label="([^"]*)"/g)].map((m) => m[1]!);
    expect(labels.length).toBeGreaterThan(0);
    for (const l of labels) expect(l.startsWith(`get [&quot;${key}&quot;`) || l.startsWith(`put [&quot;${key}&quot;`) || l.startsWith(`append [&quot;${key}&quot;`), l).toBe(true);
  });
});
