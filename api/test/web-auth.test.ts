import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireService } from './support/services.js';
import { testApp, type TestApp } from './support/test-app.js';
import { hostileTxnOps, page, signIn, submitAndWait } from './support/web-fixtures.js';

const pgUp = await requireService('postgres');

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe.runIf(pgUp)('signing in to the pages, scopes and teams', () => {
  let t: TestApp;
  let red: { auth: string; cookie: string; job: string };
  let blue: { auth: string; cookie: string; job: string };

  beforeAll(async () => {
    t = await testApp('web_auth');
    const redAuth = await t.token(['submit'], 'red');
    const blueAuth = await t.token(['submit'], 'blue');
    red = { auth: redAuth, cookie: await signIn(t.app, redAuth), job: (await submitAndWait(t, redAuth, '/jobs?source=red-secret.json', hostileTxnOps())).id as string };
    blue = { auth: blueAuth, cookie: await signIn(t.app, blueAuth), job: (await submitAndWait(t, blueAuth, '/jobs?model=register&init=0&source=blue-file.json', [
      { process: 0, type: 'invoke', f: 'write', value: 1 }, { process: 0, type: 'ok', f: 'write', value: 1 },
    ])).id as string };
  });
  afterAll(async () => {
    await t?.close();
  });

  const login = (payload: Record<string, string>, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/ui/login', headers: { ...FORM, ...headers }, payload: new URLSearchParams(payload).toString() });

  it('sends a browser without a session to the login page, and back afterwards', async () => {
    for (const url of ['/ui', '/ui/anomalies?type=G1a', `/ui/jobs/${UNKNOWN}`, `/ui/jobs/${UNKNOWN}/report.json`, `/ui/jobs/${UNKNOWN}/history.jsonl`]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location, url).toBe(`/ui/login?next=${encodeURIComponent(url)}`);
    }
    const form = await t.app.inject({ method: 'GET', url: '/ui/login?next=%2Fui%2Fanomalies' });
    expect(form.statusCode).toBe(200);
    expect(form.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(form.headers['cache-control']).toBe('no-store');
    expect(form.body).toContain('<input type="hidden" name="next" value="/ui/anomalies">');
    expect(form.body).toContain('type="password"');
  });

  it('sets an HttpOnly, SameSite=Strict cookie for /ui only, and redirects only within /ui', async () => {
    const token = red.auth.replace('Bearer ', '');
    const res = await login({ token, next: '/ui/anomalies?type=G1a' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/ui/anomalies?type=G1a');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^verdict_session=vrd_[A-Za-z0-9_-]+; Path=\/ui; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    for (const next of ['https://evil.example/', '//evil.example/ui', '/\\evil.example', '/uix', '/docs', 'javascript:alert(1)', '/ui/../docs', '/ui/login?next=//evil.example']) {
      expect((await login({ token, next })).headers.location, next).toBe('/ui');
    }
    // The API never reads the cookie: it is for the pages.
    expect((await t.app.inject({ method: 'GET', url: '/jobs', headers: { cookie: cookie.split(';')[0]! } })).statusCode).toBe(401);
  });

  it('refuses bad tokens with the form again, and forms posted from another site', async () => {
    const wrong = await login({ token: 'vrd_not-a-real-token', next: '/ui' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(wrong.body).toContain('invalid token: unknown or revoked token');
    expect((await login({ token: '  ', next: '/ui' })).statusCode).toBe(400);
    expect((await login({ token: 'x; Path=/', next: '/ui' })).statusCode).toBe(401);
    const noScopes = (await t.deps.tokens.create({ name: 'nothing', scopes: [] })).secret;
    const refused = await login({ token: noScopes });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('read is needed');
    const token = red.auth.replace('Bearer ', '');
    const crossSite: Record<string, string>[] = [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'null' }];
    for (const headers of crossSite) {
      const res = await login({ token }, headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(400);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    for (const [origin, host] of [['http://127.0.0.1:8080', '127.0.0.1:8080'], ['http://localhost', 'localhost:80']]) {
      expect((await login({ token }, { origin: origin!, host: host!, 'sec-fetch-site': 'same-origin' })).statusCode, origin).toBe(303);
    }
    expect((await login({ token }, { origin: 'http://127.0.0.1:9999', host: '127.0.0.1:8080' })).statusCode).toBe(400);
  });

  it('accepts a Bearer header instead of a cookie, with the API\'s errors as pages', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/ui', headers: { authorization: red.auth } })).statusCode).toBe(200);
    const bad = await t.app.inject({ method: 'GET', url: '/ui', headers: { authorization: 'Bearer vrd_nope' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['content-type']).toContain('text/html');
    expect(bad.body).toContain('VRD_ERR_API_AUTH_INVALID');
  });

  it('never shows one team\'s jobs, reports, histories or anomalies to another team', async () => {
    const redList = (await page(t.app, '/ui', red.cookie)).body;
    expect(redList).toContain(red.job.slice(0, 8));
    expect(redList).not.toContain(blue.job.slice(0, 8));
    expect(redList).not.toContain('blue-file.json');
    const blueList = (await page(t.app, '/ui', blue.cookie)).body;
    expect(blueList).not.toContain(red.job.slice(0, 8));
    expect(blueList).not.toContain('red-secret.json');
    for (const suffix of ['', '/report.json', '/report.txt', '/junit.xml', '/history.jsonl']) {
      const res = await page(t.app, `/ui/jobs/${red.job}${suffix}`, blue.cookie);
      expect(res.statusCode, suffix).toBe(404);
      expect(res.body).not.toContain('red-secret');
      expect(res.body).toContain('VRD_ERR_JOB_NOT_FOUND');
      expect((await page(t.app, `/ui/jobs/${red.job}${suffix}`, red.cookie)).statusCode, suffix).toBe(200);
    }
    expect((await page(t.app, '/ui?anomaly=G1a', blue.cookie)).body).not.toContain(red.job.slice(0, 8));
    const blueAnomalies = (await page(t.app, `/ui/anomalies?jobId=${red.job}`, blue.cookie)).body;
    expect(blueAnomalies).toContain('No anomalies');
    expect((await page(t.app, '/ui/anomalies', blue.cookie)).body).not.toContain(`/ui/jobs/${red.job}`);
    expect((await page(t.app, '/ui/anomalies', red.cookie)).body).toContain(`/ui/jobs/${red.job}`);
    const admin = await signIn(t.app, await t.token(['admin']));
    const all = (await page(t.app, '/ui', admin)).body;
    expect(all).toContain(red.job.slice(0, 8));
    expect(all).toContain(blue.job.slice(0, 8));
    expect(all).toContain('every team');
  });

  it('ends the session on sign-out, and when the token is revoked', async () => {
    const cookie = await signIn(t.app, await t.token(['read'], 'red'));
    expect((await page(t.app, '/ui', cookie)).statusCode).toBe(200);
    // Signed in already: the login page goes straight on.
    expect((await page(t.app, '/ui/login?next=/ui/anomalies', cookie)).headers.location).toBe('/ui/anomalies');
    const out = await t.app.inject({ method: 'POST', url: '/ui/logout', headers: { cookie } });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/ui/login?out=1');
    expect(String(out.headers['set-cookie'])).toBe('verdict_session=; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=0');
    expect((await t.app.inject({ method: 'POST', url: '/ui/logout', headers: { cookie, origin: 'https://evil.example' } })).statusCode).toBe(400);

    const revoked = await t.deps.tokens.create({ name: 'soon revoked', scopes: ['read'] });
    const session = await signIn(t.app, `Bearer ${revoked.secret}`);
    await t.deps.tokens.revoke(revoked.id);
    const res = await page(t.app, '/ui/anomalies', session);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/ui/login?next=%2Fui%2Fanomalies&expired=1');
    expect(String(res.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await page(t.app, '/ui/anomalies', 'verdict_session=<script>')).headers.location).toContain('expired=1');
  });
});
