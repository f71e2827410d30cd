import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDirForFile, verdict } from './support/cli.js';
import { multipart } from './support/http.js';
import { requireService } from './support/services.js';
import { testApp, waitForJob, type TestApp } from './support/test-app.js';

const pgUp = await requireService('postgres');

/** `[[[…1…]]]` 20,000 deep: past every parser's limit, and deep enough to overflow a recursive walker. */
const DEEP = `${'['.repeat(20_000)}1${']'.repeat(20_000)}`;
const EDN = `{:process 0 :type :invoke :f :write :value 1}\n{:process 0 :type :ok :f :write :value ${DEEP}}\n`;
const JSONL = `{"process":0,"type":"invoke","f":"write","value":1}\n{"process":0,"type":"ok","f":"write","value":${DEEP}}\n`;
const DEEP_OPS = `[{"process":0,"type":"invoke","f":"write","value":1},{"process":0,"type":"ok","f":"write","value":${DEEP}}]`;

describe.runIf(pgUp)('deeply nested values through the API: a 4xx with a named code, never a 500', () => {
  let t: TestApp;
  let auth: string;
  beforeAll(async () => {
    t = await testApp('api_deep');
    auth = await t.token(['submit', 'read']);
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (url: string, payload: string | Buffer, contentType: string) =>
    t.app.inject({ method: 'POST', url, headers: { authorization: auth, 'content-type': contentType }, payload });

  it.each([
    ['raw EDN', () => post('/jobs?model=register&format=edn', EDN, 'application/edn')],
    ['raw JSONL', () => post('/jobs?model=register', JSONL, 'application/x-ndjson')],
    ['a JSON body with the history as text', () => post('/jobs', JSON.stringify({ history: EDN, model: 'register', format: 'edn' }), 'application/json')],
    ['a JSON body with the history as ops', () => post('/jobs?model=register', DEEP_OPS, 'application/json')],
    ['a JSON body with ops under "history"', () => post('/jobs', `{"model":"register","history":${DEEP_OPS}}`, 'application/json')],
    ['a multipart upload', () => { const f = multipart([{ name: 'model', value: 'register' }, { name: 'history', value: EDN, filename: 'deep.edn' }]); return post('/jobs', f.body, f.contentType); }],
  ])('%s: 422 VRD_ERR_HISTORY_TOO_DEEP', async (_what, request) => {
    const res = await request();
    expect(res.statusCode, res.body.slice(0, 300)).toBe(422);
    expect(res.json()).toMatchObject({ code: 'VRD_ERR_HISTORY_TOO_DEEP', status: 422 });
    expect((res.json() as { message: string }).message).toContain('values may nest at most 1000 levels deep');
  });

  it('a deep init is 422 VRD_ERR_HISTORY_TOO_DEEP naming the field', async () => {
    const ops = '[{"process":1,"type":"invoke","f":"read","value":null},{"process":1,"type":"ok","f":"read","value":1}]';
    const body = await post('/jobs', `{"model":"register","init":${DEEP},"history":${ops}}`, 'application/json');
    expect(body.json()).toMatchObject({ status: 422, code: 'VRD_ERR_HISTORY_TOO_DEEP', location: { field: 'body.init' } });
    const form = multipart([{ name: 'model', value: 'register' }, { name: 'init', value: DEEP }, { name: 'history', value: EDN, filename: 'h.edn' }]);
    expect((await post('/jobs', form.body, form.contentType)).json()).toMatchObject({ status: 422, code: 'VRD_ERR_HISTORY_TOO_DEEP', location: { field: 'form.init' } });
  });

  it('checks integers beyond 2^53 exactly, whichever way the history is sent', async () => {
    const ops = '[{"process":0,"type":"invoke","f":"write","value":9007199254740993},{"process":0,"type":"ok","f":"write","value":9007199254740993},'
      + '{"process":1,"type":"invoke","f":"read","value":null},{"process":1,"type":"ok","f":"read","value":9007199254740992}]';
    for (const res of [await post('/jobs?model=register', ops, 'application/json'), await post('/jobs', `{"model":"register","history":${ops}}`, 'application/json'),
      await post('/jobs?model=register&format=json', ops, 'text/plain')]) {
      expect(res.statusCode, res.body).toBe(202);
      const job = await waitForJob(t.app, auth, (res.json() as { id: string }).id);
      expect(job).toMatchObject({ status: 'done', outcome: 'violated' });
    }
  });

  it('refuses an init it could not keep exact, naming the field', async () => {
    const read = '[{"process":1,"type":"invoke","f":"read","value":null},{"process":1,"type":"ok","f":"read","value":1}]';
    const query = await post('/jobs?model=register&init=9007199254740993', read, 'application/json');
    expect(query.json()).toMatchObject({ status: 400, code: 'VRD_ERR_API_INVALID', location: { field: 'querystring.init' } });
    const body = await post('/jobs', `{"model":"register","init":9007199254740993,"history":${read}}`, 'application/json');
    expect(body.json()).toMatchObject({ status: 400, code: 'VRD_ERR_API_INVALID', location: { field: 'body.init' } });
  });
});

const tempDir = tempDirForFile('verdict-deep-');

describe('integers beyond 2^53 through the CLI', () => {
  it('--init keeps them exact', async () => {
    const file = join(tempDir(), 'read.jsonl');
    await writeFile(file, '{"process":1,"type":"invoke","f":"read","value":null}\n{"process":1,"type":"ok","f":"read","value":9007199254740993}\n');
    expect((await verdict('check', file, '--model', 'register', '--init', '9007199254740993')).code).toBe(0);
    expect((await verdict('check', file, '--model', 'register', '--init', '9007199254740992')).code).toBe(1);
  });
});

describe('deeply nested values through the CLI', () => {
  it.each([['deep.edn', EDN], ['deep.jsonl', JSONL], ['deep.json', DEEP_OPS]])('%s: exit 64 with one line naming the file and the line', async (name, text) => {
    const file = join(tempDir(), name);
    await writeFile(file, text);
    const r = await verdict('check', file, '--model', 'register');
    expect(r.code).toBe(64);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(`${file}, line`);
    expect(r.err).toContain('a value nests too deeply: values may nest at most 1000 levels deep');
  });

  it('a deep --init: exit 64, the error on its first line (then the usage, as for every usage error)', async () => {
    const file = join(tempDir(), 'ok.jsonl');
    await writeFile(file, '{"process":1,"type":"invoke","f":"read","value":null}\n{"process":1,"type":"ok","f":"read","value":1}\n');
    const r = await verdict('check', file, '--model', 'register', '--init', DEEP);
    expect(r.code).toBe(64);
    expect(r.err.split('\n')[0]).toMatch(/^verdict check: --init: not valid JSON \(values may nest at most 1000 levels deep .*…$/);
  });
});
