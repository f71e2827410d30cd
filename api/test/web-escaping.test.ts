import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportRow, anomalyRows } from '../src/store/report-rows.js';
import { escapeHtml, html, joinHtml } from '../src/web/html.js';
import { requireService } from './support/services.js';
import { testApp, type TestApp } from './support/test-app.js';
import { HOSTILE, hostileKvOps, hostileTxnOps, liveMarkupIn, page, signIn, submitAndWait } from './support/web-fixtures.js';
import type { Report } from '@verdict/checker';

const pgUp = await requireService('postgres');

describe('HTML by construction', () => {
  it('escapes text and attribute values, and shows control characters as visible escapes', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(escapeHtml('a\u0000b\u0007c\u001bd\u007fe\u0085f\tg\nh')).toBe('a\\u0000b\\u0007c\\u001bd\\u007fe\\u0085f\tg\nh');
    expect(html`<p title="${HOSTILE.attrValue}">${HOSTILE.imgValue}</p>`.value)
      .toBe('<p title="&quot;onmouseover=&quot;alert(2)&quot; x=&quot;">&lt;img src=x onerror=alert(1)&gt;</p>');
  });

  it('inserts only Html as markup; strings, numbers, lists and even Html glued with + are text', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`${inner}${[inner, '<u>']}${null}${undefined}${false}${3}`.value).toBe('<b>&lt;i&gt;</b><b>&lt;i&gt;</b>&lt;u&gt;3');
    // A mistake fails safe: concatenation yields a string, which is escaped.
    expect(html`${(inner as unknown as string) + '<x>'}`.value).toBe('&lt;b&gt;&amp;lt;i&amp;gt;&lt;/b&gt;&lt;x&gt;');
    expect(joinHtml(['<a>', inner], html`<br>`).value).toBe('&lt;a&gt;<br><b>&lt;i&gt;</b>');
  });
});

describe.runIf(pgUp)('pages never render a history value as markup', () => {
  let t: TestApp;
  let cookie: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await testApp('web_escaping');
    const auth = await t.token(['submit']);
    cookie = await signIn(t.app, auth);
    ids.kv = (await submitAndWait(t, auth, `/jobs?model=kv&source=${encodeURIComponent(HOSTILE.source)}`, hostileKvOps())).id as string;
    ids.txn = (await submitAndWait(t, auth, '/jobs?levels=true', hostileTxnOps())).id as string;
    ids.failed = await storeFailedJob(t);
    ids.run = await storeHostileRun(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the checks behind the fixtures judged what they should (so the pages have witnesses to show)', async () => {
    const kv = await t.db.prisma.job.findUniqueOrThrow({ where: { id: ids.kv! } });
    expect(kv).toMatchObject({ status: 'done', outcome: 'violated' });
    const txn = await t.db.prisma.job.findUniqueOrThrow({ where: { id: ids.txn! } });
    expect(txn).toMatchObject({ status: 'done', outcome: 'violated', isolation: 'read-uncommitted' });
  });

  it.each(['kv', 'txn', 'failed', 'run'])('on the %s job\'s page', async (name) => {
    const res = await page(t.app, `/ui/jobs/${ids[name]}`, cookie);
    expect(res.statusCode, res.body).toBe(200);
    expect(liveMarkupIn(res.body)).toBeUndefined();
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/^default-src 'none'; style-src 'self'/);
    // A script only by the hash of our own file: never 'self', 'unsafe-*', a host or a wildcard.
    const scripts = /script-src ([^;]*);/.exec(csp)?.[1];
    if (scripts !== undefined) expect(scripts.split(' ').every((s) => /^'sha256-[A-Za-z0-9+/]+=*'$/.test(s))).toBe(true);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('shows the hostile values as text where a person looks for them', async () => {
    const kv = (await page(t.app, `/ui/jobs/${ids.kv}`, cookie)).body;
    expect(kv).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(kv).toContain('&lt;/svg&gt;&lt;script&gt;alert(3)&lt;/script&gt;');
    expect(kv).toContain('&lt;b onmouseover=&#39;alert(4)&#39;&gt;p&lt;/b&gt;');
    expect(kv).toContain('&lt;script&gt;alert(&quot;source&quot;)&lt;/script&gt;.edn');
    // The timeline (an SVG and its clipped plot inside), each closed once: the hostile `</svg>` did not end it early.
    expect(kv.match(/<svg[\s>]/g)).toHaveLength(2);
    expect(kv.match(/<\/svg>/g)).toHaveLength(2);
    const txn = (await page(t.app, `/ui/jobs/${ids.txn}`, cookie)).body;
    expect(txn).toContain('G1a');
    // The timeline and the anomaly's cycle graph, whose hostile key is an escaped attribute and text.
    expect(txn.match(/<svg[\s>]/g)).toHaveLength(3);
    expect(txn.match(/<\/svg>/g)).toHaveLength(3);
    expect(txn).toContain('data-key="&quot;&lt;script&gt;alert(\\&quot;key\\&quot;)&lt;/script&gt;&quot;"');
    // Keys inside values are shown as JSON: quoted, their quotes escaped.
    expect(txn).toContain('&lt;script&gt;alert(\\&quot;key\\&quot;)&lt;/script&gt;');
    const failed = (await page(t.app, `/ui/jobs/${ids.failed}`, cookie)).body;
    expect(failed).toContain('&lt;/pre&gt;&lt;script&gt;alert(&quot;error&quot;)&lt;/script&gt;');
    const run = (await page(t.app, `/ui/jobs/${ids.run}`, cookie)).body;
    expect(run).toContain('Run and availability');
    expect(run).toContain('ctl\\u0001\\u0007\\u001b[31m\\u009b');
  });

  it('on the job list, the anomaly search and the error pages', async () => {
    for (const url of ['/ui', '/ui?anomaly=G1a', `/ui/anomalies`, `/ui/anomalies?type=${encodeURIComponent(HOSTILE.scriptKey)}`, `/ui?protocol=${encodeURIComponent(HOSTILE.attrValue)}`]) {
      const res = await page(t.app, url, cookie);
      expect(res.statusCode, url).toBe(200);
      expect(liveMarkupIn(res.body), url).toBeUndefined();
    }
    expect((await page(t.app, '/ui', cookie)).body).toContain('&lt;script&gt;alert(&quot;source&quot;)&lt;/script&gt;.edn');
    expect((await page(t.app, `/ui?protocol=${encodeURIComponent(HOSTILE.attrValue)}`, cookie)).body).toContain('value="&quot;onmouseover=&quot;alert(2)&quot; x=&quot;"');
    const anomalies = (await page(t.app, '/ui/anomalies', cookie)).body;
    expect(anomalies).toContain('linearizability');
    expect(anomalies).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const notFound = await page(t.app, `/ui/${encodeURIComponent(HOSTILE.svgBreak)}`, cookie);
    expect(notFound.statusCode).toBe(404);
    expect(liveMarkupIn(notFound.body)).toBeUndefined();
    const badQuery = await page(t.app, `/ui?status=${encodeURIComponent(HOSTILE.imgValue)}`, cookie);
    expect(badQuery.statusCode).toBe(400);
    expect(liveMarkupIn(badQuery.body)).toBeUndefined();
  });

  it('in the downloads, which are data with a sandboxing policy', async () => {
    for (const file of ['report.json', 'report.txt', 'junit.xml', 'history.jsonl']) {
      const res = await page(t.app, `/ui/jobs/${ids.kv}/${file}`, cookie);
      expect(res.statusCode, file).toBe(200);
      expect(res.headers['content-security-policy'], file).toContain('sandbox');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-type'], file).not.toContain('html');
    }
  });
});

/** A job that failed with a message quoting its input (stored as the runner stores failures). */
async function storeFailedJob(t: TestApp): Promise<string> {
  const job = await t.db.prisma.job.create({
    data: {
      kind: 'check', status: 'failed', attempts: 1, spec: { source: HOSTILE.source, model: HOSTILE.scriptKey },
      error: { code: 'VRD_ERR_HISTORY_FIELD', message: HOSTILE.error, status: 422 }, finishedAt: new Date(),
    },
  });
  return job.id;
}

/** A protocol run whose report and facts carry hostile text wherever a string can go. */
async function storeHostileRun(t: TestApp): Promise<string> {
  const job = await t.db.prisma.job.create({
    data: { kind: 'run', status: 'done', attempts: 1, protocol: HOSTILE.scriptKey, outcome: 'ok', spec: { protocol: HOSTILE.scriptKey, nemesis: HOSTILE.attrValue, seed: 1 }, finishedAt: new Date() },
  });
  const report = {
    version: 1, kind: 'single-object', history: { events: 0, operations: 0, processes: 0, faults: 0, source: HOSTILE.source, warnings: [HOSTILE.svgBreak] },
    verdict: { outcome: 'ok', summary: HOSTILE.imgValue, consistency: 'strong' }, elapsedMs: 1,
    run: {
      headline: HOSTILE.imgValue, nodes: [HOSTILE.process, 'n2'], roles: { n2: HOSTILE.attrValue }, workload: HOSTILE.control, operations: { client: 1, finalReads: 0 },
      reproduce: HOSTILE.svgBreak,
      availability: {
        blocked: true, blockedReason: HOSTILE.error, recoveredAfterMs: null,
        phases: [{ phase: HOSTILE.scriptKey, startMs: 0, endMs: 1, ok: 1, fail: 0, info: 0, longestStallMs: 0, longestSilenceMs: 0 }],
        faults: [{ nemesis: HOSTILE.scriptKey, description: HOSTILE.imgValue, startMs: 0, endMs: 1, ok: 0, fail: 0, info: 0, sides: [{ nodes: [HOSTILE.process], available: false, ok: 0, fail: 0 }], blockedKeys: [{ key: HOSTILE.svgBreak }] }],
      },
    },
  } as unknown as Report;
  const row = reportRow(report);
  await t.db.prisma.report.create({ data: { jobId: job.id, ...row, isolationResult: undefined, body: report as object } });
  expect(anomalyRows(report)).toEqual([]);
  return job.id;
}
