import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from './support/http.js';
import { testApp, type TestApp } from './support/test-app.js';

/**
 * Hostile input at every API write route: generated malformed bodies (truncations, wrong types,
 * deep nesting, huge lines, bad encodings, gzip bombs, random bytes) must each get a 4xx with a
 * VRD_ERR_* code, never a 5xx, and change no row. Deterministic: the seed is fixed and printed
 * with any failure (fast-check's `seed` and `path` replay it).
 */
const SEED = 20_261_203;
const RUNS_PER_ROUTE = 220;

/** A request to throw: where, what content type (and encoding), and the bytes. */
interface Hostile {
  what: string;
  url: string;
  method: 'POST' | 'DELETE';
  headers: Record<string, string>;
  body?: Buffer;
}

const VALID_JSONL = [
  { process: 0, type: 'invoke', f: 'write', value: 1 },
  { process: 0, type: 'ok', f: 'write', value: 1 },
  { process: 1, type: 'invoke', f: 'read', value: null },
  { process: 1, type: 'ok', f: 'read', value: 1 },
].map((o) => JSON.stringify(o)).join('\n') + '\n';
const VALID_EDN = '[{:process 0 :type :invoke :f :write :value 1}\n{:process 0 :type :ok :f :write :value 1}]\n';
const VALID_RUN = JSON.stringify({ protocol: 'paxos', nemesis: 'partition-halves', seed: 7, ops: 50 });
const VALID_CHECK = JSON.stringify({ history: JSON.parse(`[${VALID_JSONL.trim().split('\n').join(',')}]`), model: 'register', init: 0 });
const VALID_TOKEN = JSON.stringify({ name: 'ci', scopes: ['read'] });
const HISTORY_TYPES = ['application/x-ndjson', 'application/edn', 'text/plain', 'application/octet-stream', 'application/gzip'];

/** A strict prefix of a body that is valid whole (cut inside a line, so no prefix is a history). */
const truncated = (text: string): fc.Arbitrary<Buffer> =>
  fc.integer({ min: 1, max: text.length - 2 }).filter((n) => text[n - 1] !== '\n' && text[n] !== '\n').map((n) => Buffer.from(text.slice(0, n)));

/** JSON of the right shape with one field of the wrong type. */
const wrongTyped = (valid: string, fields: string[]): fc.Arbitrary<Buffer> =>
  fc.tuple(fc.constantFrom(...fields), fc.oneof(fc.integer(), fc.boolean(), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }), fc.constant(''), fc.double()))
    .filter(([field, value]) => !(field === 'seed' && Number.isSafeInteger(value) && (value as number) >= 0) && !(field === 'ops' && Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 1_000_000))
    .map(([field, value]) => Buffer.from(JSON.stringify({ ...JSON.parse(valid), [field]: value })));

const deep = (open: string, close: string): fc.Arbitrary<Buffer> =>
  fc.integer({ min: 1_001, max: 30_000 }).map((n) => Buffer.from(open.repeat(n) + close.repeat(n)));

// Past the 1 MB upload limit this suite sets: one line the reader must not buffer.
const hugeLine = fc.integer({ min: 1_100_000, max: 2_000_000 }).map((n) => Buffer.from(`{"process":0,"type":"invoke","f":"write","value":"${'x'.repeat(n)}"}\n`));

/** Not UTF-8: lone continuation bytes and overlong forms inside an otherwise plausible line. */
const badUtf8 = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Buffer.concat([Buffer.from('{"process":0,"type":"invoke","f":"write","value":"'), Buffer.from([0xc0, 0x80, 0xff, ...bytes.map((b) => b | 0x80)]), Buffer.from('"}\n')]));

const bomb = fc.integer({ min: 8, max: 24 }).map((mb) => gzipSync(Buffer.alloc(mb * 1024 * 1024, ' ')));

const randomBytes = fc.uint8Array({ minLength: 1, maxLength: 4_096 }).map((b) => Buffer.from(b));

/** Malformed POST /jobs requests of every kind. */
const hostileJobs: fc.Arbitrary<Hostile> = fc.oneof(
  truncated(VALID_RUN).map((body) => ({ what: 'truncated run', url: '/jobs', method: 'POST' as const, headers: { 'content-type': 'application/json' }, body })),
  truncated(VALID_CHECK).map((body) => ({ what: 'truncated check', url: '/jobs', method: 'POST' as const, headers: { 'content-type': 'application/json' }, body })),
  truncated(VALID_JSONL).map((body) => ({ what: 'truncated JSONL', url: '/jobs?model=register&init=0&format=jsonl', method: 'POST' as const, headers: { 'content-type': 'application/x-ndjson' }, body })),
  truncated(VALID_EDN).map((body) => ({ what: 'truncated EDN', url: '/jobs?model=register&init=0&format=edn', method: 'POST' as const, headers: { 'content-type': 'application/edn' }, body })),
  truncated(multipart([{ name: 'model', value: 'register' }, { name: 'history', value: VALID_JSONL, filename: 'h.jsonl' }]).body.toString('latin1'))
    .map((body) => ({ what: 'truncated multipart', url: '/jobs', method: 'POST' as const, headers: { 'content-type': multipart([]).contentType.replace(/boundary=.*/, 'boundary=x') }, body })),
  wrongTyped(VALID_RUN, ['protocol', 'seed', 'ops', 'nemesis', 'bug', 'nodes', 'params']).map((body) => ({ what: 'run of wrong types', url: '/jobs', method: 'POST' as const, headers: { 'content-type': 'application/json' }, body })),
  wrongTyped(VALID_CHECK, ['history', 'model', 'levels', 'timeLimitMs', 'format']).map((body) => ({ what: 'check of wrong types', url: '/jobs', method: 'POST' as const, headers: { 'content-type': 'application/json' }, body })),
  deep('[', ']').map((body) => ({ what: 'deep JSON', url: '/jobs', method: 'POST' as const, headers: { 'content-type': 'application/json' }, body })),
  deep('[', ']').map((inner) => ({ what: 'deep EDN value', url: '/jobs?model=register&format=edn', method: 'POST' as const, headers: { 'content-type': 'application/edn' }, body: Buffer.concat([Buffer.from('[{:process 0 :type :invoke :f :write :value '), inner, Buffer.from('}]')]) })),
  hugeLine.map((body) => ({ what: 'huge line', url: '/jobs?model=register&format=jsonl', method: 'POST' as const, headers: { 'content-type': 'application/x-ndjson' }, body })),
  badUtf8.map((body) => ({ what: 'bad UTF-8', url: '/jobs?model=register&format=jsonl', method: 'POST' as const, headers: { 'content-type': 'application/x-ndjson' }, body })),
  bomb.map((body) => ({ what: 'gzip bomb (encoding)', url: '/jobs?format=jsonl', method: 'POST' as const, headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip' }, body })),
  bomb.map((body) => ({ what: 'gzip bomb (file)', url: '/jobs', method: 'POST' as const, headers: { 'content-type': 'application/gzip' }, body })),
  randomBytes.map((body) => ({ what: 'gzip that is not', url: '/jobs', method: 'POST' as const, headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip' }, body: Buffer.concat([Buffer.from([0x1f, 0x8b]), body]) })),
  fc.tuple(fc.constantFrom(...HISTORY_TYPES, 'application/json', 'multipart/form-data; boundary=zz'), randomBytes).map(([type, body]) => ({ what: `random bytes as ${type}`, url: '/jobs', method: 'POST' as const, headers: { 'content-type': type }, body })),
);

/** Malformed POST /tokens requests. */
const hostileTokens: fc.Arbitrary<Hostile> = fc.oneof(
  truncated(VALID_TOKEN).map((body) => ({ what: 'truncated token', url: '/tokens', method: 'POST' as const, headers: { 'content-type': 'application/json' }, body })),
  wrongTyped(VALID_TOKEN, ['name', 'scopes', 'team']).map((body) => ({ what: 'token of wrong types', url: '/tokens', method: 'POST' as const, headers: { 'content-type': 'application/json' }, body })),
  deep('{"a":', '}').map((body) => ({ what: 'deep token body', url: '/tokens', method: 'POST' as const, headers: { 'content-type': 'application/json' }, body })),
  bomb.map((body) => ({ what: 'token bomb', url: '/tokens', method: 'POST' as const, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body })),
  randomBytes.map((body) => ({ what: 'random token body', url: '/tokens', method: 'POST' as const, headers: { 'content-type': 'application/json' }, body })),
);

/** Malformed DELETE /jobs/:id requests. */
const hostileCancels: fc.Arbitrary<Hostile> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 80 }).map((id) => ({ what: 'cancel a bad id', url: `/jobs/${encodeURIComponent(id)}`, method: 'DELETE' as const, headers: {} })),
  fc.uuid().map((id) => ({ what: 'cancel no such job', url: `/jobs/${id}`, method: 'DELETE' as const, headers: {} })),
  fc.tuple(fc.uuid(), randomBytes).map(([id, body]) => ({ what: 'cancel with a body', url: `/jobs/${id}`, method: 'DELETE' as const, headers: { 'content-type': 'application/json' }, body })),
);

/** Malformed DELETE /tokens/:id requests (none matches a token's id). */
const hostileRevokes: fc.Arbitrary<Hostile> = fc.oneof(
  fc.string({ minLength: 0, maxLength: 200 }).map((id) => ({ what: 'revoke a bad id', url: `/tokens/${encodeURIComponent(id)}`, method: 'DELETE' as const, headers: {} })),
  fc.tuple(fc.uuid(), randomBytes).map(([id, body]) => ({ what: 'revoke with a body', url: `/tokens/${id}`, method: 'DELETE' as const, headers: { 'content-type': 'application/json' }, body })),
);

/** Counterexamples print as what they are and their size, not megabytes of bytes. */
const printable = (arbitrary: fc.Arbitrary<Hostile>): fc.Arbitrary<Hostile> =>
  arbitrary.map((h) => Object.assign(h, { [fc.toStringMethod]: () => `${h.what}: ${h.method} ${h.url} ${JSON.stringify(h.headers)} ${h.body?.length ?? 0} bytes: ${JSON.stringify(h.body?.subarray(0, 120).toString('latin1') ?? '')}` }));

describe('hostile input at every write route', () => {
  let t: TestApp;
  let auth: string;
  const counts = async () => {
    const p = t.db.prisma;
    return { jobs: await p.job.count(), histories: await p.history.count(), chunks: await p.historyChunk.count(), reports: await p.report.count(), anomalies: await p.anomaly.count(), tokens: await p.apiToken.count({ where: { revokedAt: null } }) };
  };

  beforeAll(async () => {
    // Small limits, so that "too large" is cheap to reach; no rate limit (hundreds of requests).
    t = await testApp('hostile', { bodyLimitBytes: 1024 * 1024, historyBytesMax: 4 * 1024 * 1024, rateLimitPerMinute: 0, concurrency: 1 }, 'embedded');
    auth = await t.token(['admin']);
  });
  afterAll(async () => {
    await t?.close();
  });

  const throwAt = async (arbitrary: fc.Arbitrary<Hostile>): Promise<Map<string, number>> => {
    const before = await counts();
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(printable(arbitrary), async (h) => {
        seen.set(h.what, (seen.get(h.what) ?? 0) + 1);
        const res = await t.app.inject({ method: h.method, url: h.url, headers: { authorization: auth, ...h.headers }, ...(h.body !== undefined ? { payload: h.body } : {}) });
        const body = res.json() as { code?: string; status?: number };
        expect(res.statusCode, `${h.what}: ${res.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, `${h.what}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
        expect(body.code, h.what).toMatch(/^VRD_ERR_[A-Z_]+$/);
        expect(body.status).toBe(res.statusCode);
      }),
      { seed: SEED, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
    );
    // Alive, and nothing half-stored.
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect(await counts()).toEqual(before);
    return seen;
  };

  it(`POST /jobs: ${RUNS_PER_ROUTE} malformed bodies, each a 4xx with a code, no row written`, async () => {
    const seen = await throwAt(hostileJobs);
    expect(seen.size).toBeGreaterThanOrEqual(12);
  }, 300_000);

  it.each([
    ['POST /tokens', hostileTokens, 5],
    ['DELETE /jobs/:id', hostileCancels, 3],
    ['DELETE /tokens/:id', hostileRevokes, 2],
  ] as const)(`%s: ${RUNS_PER_ROUTE} malformed requests, each a 4xx with a code, no row changed`, async (_route, arbitrary, kinds) => {
    const seen = await throwAt(arbitrary);
    expect(seen.size).toBe(kinds);
  }, 300_000);
});
