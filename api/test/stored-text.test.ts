import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeStored, decodeStoredJsonText, decodeStoredText, encodeStored, encodeStoredText } from '../src/db/stored-text.js';
import { databaseBackends } from './support/services.js';
import { testApp, waitForJob, type TestApp } from './support/test-app.js';
import { page, signIn } from './support/web-fixtures.js';

const backends = await databaseBackends();

describe('stored text encoding', () => {
  const awkward = ['', 'plain', 'x\u0000y', '\u0000', '\uE000', '\uE0000', '\uE000e', 'a\uE000\u0000e0\uE000', '\u0000\u0000\uE000\uE000'];

  it('round-trips every string, and no encoded string holds U+0000', () => {
    for (const s of awkward) {
      const stored = encodeStoredText(s);
      expect(stored).not.toContain('\u0000');
      expect(decodeStoredText(stored), JSON.stringify(s)).toBe(s);
    }
    expect(new Set(awkward.map(encodeStoredText)).size).toBe(awkward.length);
  });

  it('encodes keys and values at any depth, keeps key order, and leaves other objects alone', () => {
    const date = new Date(0);
    const bytes = Buffer.from([0, 1, 2]);
    const value = { a: 1, 'k\u0000': ['x\u0000', { deep: '\uE000' }], z: date, b: bytes, n: null };
    const stored = encodeStored(value);
    expect(JSON.stringify(stored)).not.toContain('\\u0000');
    expect(Object.keys(stored)).toEqual(['a', 'k\uE0000', 'z', 'b', 'n']);
    expect(stored.z).toBe(date);
    expect(stored.b).toBe(bytes);
    expect(decodeStored(stored)).toEqual(value);
    const untouched = { a: ['plain', { b: 'text' }] };
    expect(encodeStored(untouched)).toBe(untouched);
  });

  it('decodes stored JSON text into the JSON of the original', () => {
    const value = { 'k\u0000': 'x\u0000y', e: '\uE000', both: '\uE000\u0000' };
    const storedText = JSON.stringify(encodeStored(value));
    expect(JSON.parse(decodeStoredJsonText(storedText))).toEqual(value);
  });
});

describe.each(backends)('histories holding U+0000, through the service (%s)', (backend) => {
  let t: TestApp;
  let auth: string;

  beforeAll(async () => {
    t = await testApp('stored_text', {}, backend);
    auth = await t.token(['submit']);
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: auth } });

  it('stores the report, the anomaly and the source name, and gives back exactly what the history said', async () => {
    // A read of a value nobody wrote: the witness, the sentence and the source all quote U+0000.
    const ops = [
      { process: 0, type: 'invoke', f: 'write', value: 'a\uE000' },
      { process: 0, type: 'ok', f: 'write', value: 'a\uE000' },
      { process: 1, type: 'invoke', f: 'read', value: null },
      { process: 1, type: 'ok', f: 'read', value: 'x\u0000y' },
    ];
    const res = await t.app.inject({ method: 'POST', url: '/jobs?model=register&source=nul%00name.json', headers: { authorization: auth }, payload: ops });
    expect(res.statusCode, res.body).toBe(202);
    const job = await waitForJob(t.app, auth, res.json().id);
    expect(job, JSON.stringify(job.error)).toMatchObject({ status: 'done', outcome: 'violated', attempts: 1 });
    expect((job.spec as { source: string }).source).toBe('nul\u0000name.json');

    const report = await get(`/jobs/${job.id as string}/report`);
    expect(report.statusCode).toBe(200);
    expect(report.body).not.toContain('\uE000\u0030');
    const operations = (report.json().linearizability.counterexample.witness.operations as { output: unknown }[]).map((o) => o.output);
    expect(operations).toContain('x\u0000y');

    const anomalies = (await get(`/anomalies?jobId=${job.id as string}`)).json().anomalies as { sentence: string; witness: { operations: { output: unknown }[] } }[];
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0]!.witness.operations.map((o) => o.output)).toContain('x\u0000y');

    const history = await get(`/jobs/${job.id as string}/history`);
    expect(history.body).toContain('x\\u0000y');

    const cookie = await signIn(t.app, auth);
    const html = await page(t.app, `/ui/jobs/${job.id as string}`, cookie);
    expect(html.statusCode).toBe(200);
    expect(html.body).toContain('x\\u0000y');
    expect(html.body).not.toContain('\u0000');
  });
});
