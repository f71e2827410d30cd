import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireService } from './support/services.js';
import { testApp, waitForJob, type TestApp } from './support/test-app.js';

const pgUp = await requireService('postgres');

const OPS = [
  { process: 0, type: 'invoke', f: 'write', value: 1 },
  { process: 0, type: 'ok', f: 'write', value: 1 },
  { process: 1, type: 'invoke', f: 'read', value: null },
  { process: 1, type: 'ok', f: 'read', value: 2 },
];

describe.runIf(pgUp)('tokens, scopes and teams', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp('api_auth');
  });
  afterAll(async () => {
    await t?.close();
  });

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, authorization?: string, payload?: object) =>
    t.app.inject({ method, url, ...(authorization !== undefined ? { headers: { authorization } } : {}), ...(payload !== undefined ? { payload } : {}) });

  it('refuses every job route without a valid token, before reading the body', async () => {
    const routes: ['GET' | 'POST' | 'DELETE', string][] = [
      ['POST', '/jobs'], ['GET', '/jobs'], ['GET', '/jobs/00000000-0000-4000-8000-000000000000'], ['GET', '/jobs/00000000-0000-4000-8000-000000000000/report'],
      ['GET', '/jobs/00000000-0000-4000-8000-000000000000/history'], ['GET', '/jobs/00000000-0000-4000-8000-000000000000/events'],
      ['DELETE', '/jobs/00000000-0000-4000-8000-000000000000'], ['GET', '/anomalies'], ['POST', '/tokens'], ['GET', '/tokens'], ['DELETE', '/tokens/abcd'],
    ];
    for (const [method, url] of routes) {
      const missing = await call(method, url);
      expect(missing.statusCode, `${method} ${url}`).toBe(401);
      expect(missing.json()).toMatchObject({ code: 'VRD_ERR_API_AUTH_MISSING', status: 401 });
      expect(missing.headers['www-authenticate']).toBe('Bearer realm="verdict"');
      expect((await call(method, url, 'Basic dXNlcjpwYXNz')).json().code).toBe('VRD_ERR_API_AUTH_INVALID');
      expect((await call(method, url, 'Bearer vrd_not-a-real-token')).json()).toMatchObject({ code: 'VRD_ERR_API_AUTH_INVALID', message: 'invalid token: unknown or revoked token' });
    }
  });

  it('needs the submit scope to write and the admin scope for tokens', async () => {
    const read = await t.token(['read']);
    const refused = await call('POST', '/jobs?model=register&init=0', read, OPS);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'VRD_ERR_API_SCOPE', message: 'the token lacks a scope: submit is needed; this token has read' });
    expect((await call('DELETE', '/jobs/00000000-0000-4000-8000-000000000000', read)).statusCode).toBe(403);
    expect((await call('GET', '/jobs', read)).statusCode).toBe(200);
    const submit = await t.token(['submit']);
    expect((await call('GET', '/jobs', submit)).statusCode).toBe(200);
    expect((await call('GET', '/tokens', submit)).json().code).toBe('VRD_ERR_API_SCOPE');
    expect((await call('POST', '/tokens', read, { name: 'x', scopes: ['admin'] })).statusCode).toBe(403);
  });

  it('creates, lists and revokes tokens with an admin token; a revoked token stops working', async () => {
    const admin = await t.token(['admin']);
    const created = await call('POST', '/tokens', admin, { name: 'ci', scopes: ['submit'], team: 'blue' });
    expect(created.statusCode).toBe(201);
    const body = created.json() as { id: string; secret: string };
    expect(body.secret).toMatch(/^vrd_[A-Za-z0-9_-]{43}$/);
    const stored = await t.db.prisma.apiToken.findUniqueOrThrow({ where: { id: body.id } });
    expect(stored.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(body.secret);
    const listed = (await call('GET', '/tokens', admin)).json().tokens as Record<string, unknown>[];
    expect(listed.find((x) => x.id === body.id)).toMatchObject({ name: 'ci', team: 'blue', scopes: ['submit'], revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(body.secret);
    expect((await call('GET', '/jobs', `Bearer ${body.secret}`)).statusCode).toBe(200);
    expect((await call('DELETE', `/tokens/${body.id}`, admin)).json()).toEqual({ revoked: 1 });
    expect((await call('DELETE', `/tokens/${body.id}`, admin)).json().code).toBe('VRD_ERR_TOKEN_NOT_FOUND');
    expect((await call('GET', '/jobs', `Bearer ${body.secret}`)).json().code).toBe('VRD_ERR_API_AUTH_INVALID');
    expect((await call('POST', '/tokens', admin, { name: 'x', scopes: ['root'] })).json()).toMatchObject({ code: 'VRD_ERR_API_INVALID', status: 400 });
  });

  it('never shows one team\'s jobs, reports, histories or anomalies to another team', async () => {
    const red = await t.token(['submit'], 'red');
    const blue = await t.token(['submit'], 'blue');
    const admin = await t.token(['admin']);
    const job = (await call('POST', '/jobs?model=register&init=0', red, OPS)).json();
    expect(job.team).toBe('red');
    const done = await waitForJob(t.app, red, job.id);
    expect(done).toMatchObject({ status: 'done', outcome: 'violated' });
    for (const url of [`/jobs/${job.id}`, `/jobs/${job.id}/report`, `/jobs/${job.id}/history`, `/jobs/${job.id}/events`]) {
      const res = await call('GET', url, blue);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().code).toBe('VRD_ERR_JOB_NOT_FOUND');
      expect((await call('GET', url, red)).statusCode, url).toBe(200);
      expect((await call('GET', url, admin)).statusCode, url).toBe(200);
    }
    expect((await call('DELETE', `/jobs/${job.id}`, blue)).statusCode).toBe(404);
    expect((await call('GET', '/jobs', blue)).json().jobs).toEqual([]);
    expect((await call('GET', '/jobs', red)).json().jobs.map((j: { id: string }) => j.id)).toEqual([job.id]);
    expect((await call('GET', '/anomalies', blue)).json().anomalies).toEqual([]);
    expect((await call('GET', `/anomalies?jobId=${job.id}`, red)).json().anomalies).toHaveLength(1);
    const teamless = await t.token(['read']);
    expect((await call('GET', '/jobs', teamless)).json().jobs).toEqual([]);
    expect((await call('GET', '/jobs', admin)).json().jobs.map((j: { id: string }) => j.id)).toContain(job.id);
  });
});
