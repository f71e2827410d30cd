import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzip, multipart } from './support/http.js';
import { requireService } from './support/services.js';
import { testApp, type TestApp } from './support/test-app.js';

const pgUp = await requireService('postgres');

describe.runIf(pgUp)('bad input gets one error shape, naming the field or the line', () => {
  let t: TestApp;
  let auth: string;
  beforeAll(async () => {
    // Small limits so that "too large" and "too many" are cheap to reach.
    t = await testApp('api_input', { bodyLimitBytes: 64 * 1024, historyBytesMax: 256 * 1024, rateLimitPerMinute: 40 });
    auth = await t.token(['submit']);
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (url: string, payload: string | Buffer, headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url, headers: { authorization: auth, ...headers }, payload });
  const json = (url: string, body: unknown) => post(url, JSON.stringify(body), { 'content-type': 'application/json' });

  const cases: [string, () => Promise<{ statusCode: number; json(): unknown }>, number, Record<string, unknown>][] = [
    ['malformed JSON', () => post('/jobs', '{"history": [', { 'content-type': 'application/json' }), 400, { code: 'VRD_ERR_API_JSON' }],
    ['empty JSON body', () => post('/jobs', '', { 'content-type': 'application/json' }), 400, { code: 'VRD_ERR_API_JSON' }],
    ['a field of the wrong type', () => json('/jobs', { protocol: 'paxos', seed: 'seven' }), 400, { code: 'VRD_ERR_API_INVALID', location: { field: 'body.seed' } }],
    ['a field nobody knows', () => json('/jobs', { history: [{}], colour: 'red' }), 400, { code: 'VRD_ERR_API_INVALID' }],
    ['neither a history nor a protocol', () => json('/jobs', { model: 'register' }), 400, { code: 'VRD_ERR_API_INVALID' }],
    ['a query option of the wrong type', () => json('/jobs?timeLimitMs=soon', [{ process: 0, type: 'invoke', f: 'read' }]), 400, { code: 'VRD_ERR_API_INVALID', location: { field: 'querystring.timeLimitMs' } }],
    ['init that is not JSON', () => post('/jobs?model=register&init={x', '{"process":0,"type":"invoke","f":"read","value":null}\n', { 'content-type': 'application/x-ndjson' }), 400, { code: 'VRD_ERR_API_INVALID', location: { field: 'querystring.init' } }],
    ['an op with a bad type, on its line', () => post('/jobs?model=register&format=jsonl', '{"process":0,"type":"invoke","f":"write","value":1}\n{"process":0,"type":"done","f":"write","value":1}\n', { 'content-type': 'application/x-ndjson' }), 422, { code: 'VRD_ERR_HISTORY_FIELD', location: { line: 2, field: 'type' } }],
    ['EDN that does not parse', () => post('/jobs?model=register&format=edn', '{:process 0, :type :invoke, :f :read\n', { 'content-type': 'application/edn' }), 400, { code: 'VRD_ERR_HISTORY_PARSE' }],
    ['an empty upload', () => post('/jobs?model=register', '\n\n', { 'content-type': 'text/plain' }), 422, { code: 'VRD_ERR_HISTORY_EMPTY' }],
    ['an unknown model (refused at submission, not failed later)', () => json('/jobs?model=teapot', [{ process: 0, type: 'invoke', f: 'read', value: null }]), 400, { code: 'VRD_ERR_API_INVALID', location: { field: 'querystring.model' } }],
    ['a content type that is not a history', () => post('/jobs', '<xml/>', { 'content-type': 'application/xml' }), 415, { code: 'VRD_ERR_API_MEDIA_TYPE' }],
    ['a content encoding we cannot undo', () => post('/jobs', 'x', { 'content-type': 'text/plain', 'content-encoding': 'br' }), 415, { code: 'VRD_ERR_API_MEDIA_TYPE' }],
    ['gzip that is not gzip', () => post('/jobs', 'plainly not gzip', { 'content-type': 'text/plain', 'content-encoding': 'gzip' }), 400, { code: 'VRD_ERR_API_INVALID' }],
    ['a body over the upload limit', () => post('/jobs', 'x'.repeat(70 * 1024), { 'content-type': 'text/plain' }), 413, { code: 'VRD_ERR_API_TOO_LARGE' }],
    ['a JSON body over the upload limit', () => json('/jobs', { history: 'x'.repeat(70 * 1024) }), 413, { code: 'VRD_ERR_API_TOO_LARGE' }],
    ['a small gzip that expands past the history limit', () => post('/jobs', gzip(' '.repeat(1024 * 1024)), { 'content-type': 'text/plain', 'content-encoding': 'gzip' }), 413, { code: 'VRD_ERR_API_TOO_LARGE' }],
    ['a gzip file that expands past the history limit', () => post('/jobs', gzip(' '.repeat(1024 * 1024)), { 'content-type': 'application/gzip' }), 413, { code: 'VRD_ERR_API_TOO_LARGE' }],
    ['a multipart form without the file', () => { const f = multipart([{ name: 'model', value: 'register' }]); return post('/jobs', f.body, { 'content-type': f.contentType }); }, 400, { code: 'VRD_ERR_API_INVALID', location: { field: 'form.history' } }],
    ['a multipart file under another name', () => { const f = multipart([{ name: 'file', value: 'x', filename: 'h.edn' }]); return post('/jobs', f.body, { 'content-type': f.contentType }); }, 400, { code: 'VRD_ERR_API_INVALID', location: { field: 'form.file' } }],
    ['a multipart field nobody knows', () => { const f = multipart([{ name: 'colour', value: 'red' }]); return post('/jobs', f.body, { 'content-type': f.contentType }); }, 400, { code: 'VRD_ERR_API_INVALID', location: { field: 'form.colour' } }],
    ['a job id that is not a uuid', () => t.app.inject({ method: 'GET', url: '/jobs/42', headers: { authorization: auth } }), 400, { code: 'VRD_ERR_API_INVALID', location: { field: 'params.id' } }],
    ['a job that does not exist', () => t.app.inject({ method: 'GET', url: '/jobs/00000000-0000-4000-8000-000000000000', headers: { authorization: auth } }), 404, { code: 'VRD_ERR_JOB_NOT_FOUND' }],
    ['a cursor we never gave out', () => t.app.inject({ method: 'GET', url: '/jobs?cursor=bm9wZQ', headers: { authorization: auth } }), 400, { code: 'VRD_ERR_API_INVALID', location: { field: 'querystring.cursor' } }],
    ['a filter value out of range', () => t.app.inject({ method: 'GET', url: '/jobs?status=sleeping', headers: { authorization: auth } }), 400, { code: 'VRD_ERR_API_INVALID', location: { field: 'querystring.status' } }],
    ['a route that does not exist', () => t.app.inject({ method: 'GET', url: '/nope' }), 404, { code: 'VRD_ERR_API_ROUTE' }],
  ];

  for (const [what, request, status, body] of cases) {
    it(`${what}: ${status}`, async () => {
      const res = await request();
      expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
      if (status >= 400) {
        const error = res.json() as Record<string, unknown>;
        expect(error).toMatchObject({ status, ...body });
        expect(Object.keys(error).sort()).toEqual(error.location !== undefined ? ['code', 'location', 'message', 'status'] : ['code', 'message', 'status']);
        expect(String(error.message).length).toBeGreaterThan(5);
      }
    });
  }

  it('stores no job for an unknown model: it is refused at submission', async () => {
    const before = await t.db.prisma.job.count();
    const res = await json('/jobs?model=teapot', [{ process: 0, type: 'invoke', f: 'read', value: null }, { process: 0, type: 'ok', f: 'read', value: null }]);
    expect(res.statusCode).toBe(400);
    expect(await t.db.prisma.job.count()).toBe(before);
  });

  it('answers 429 with Retry-After past the rate limit', async () => {
    const limited = await t.token(['read']);
    let last = { statusCode: 0, headers: {} as Record<string, unknown>, json: (): unknown => ({}) };
    for (let i = 0; i < 45 && last.statusCode !== 429; i++) last = await t.app.inject({ method: 'GET', url: '/jobs?limit=1', headers: { authorization: limited } });
    expect(last.statusCode).toBe(429);
    expect(last.json()).toMatchObject({ code: 'VRD_ERR_API_RATE_LIMIT', status: 429 });
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

describe.runIf(pgUp)('a request that takes too long', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp('api_timeout', { requestTimeoutMs: 200 });
    // A route that outlives the limit, registered before the app is first used.
    t.app.get('/slow', { config: { scope: 'read' } }, async () => {
      await new Promise((r) => setTimeout(r, 1_000));
      return { late: true };
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('gets 503 with VRD_ERR_API_TIMEOUT instead of hanging its client', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/slow', headers: { authorization: await t.token(['read']) } });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'VRD_ERR_API_TIMEOUT', status: 503 });
  });
});
