import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { waitForJob, type TestApp } from './test-app.js';

/**
 * Hostile values for the pages' escaping tests: each would run script, break out of an
 * attribute or out of the inline SVG, or smuggle control characters, if it reached the page raw.
 */
export const HOSTILE = {
  imgValue: '<img src=x onerror=alert(1)>',
  scriptKey: '<script>alert("key")</script>',
  attrValue: '"onmouseover="alert(2)" x="',
  svgBreak: '</svg><script>alert(3)</script>',
  process: "<b onmouseover='alert(4)'>p</b>",
  control: 'ctl\u0001\u0007\u001b[31m\u009b',
  source: '<script>alert("source")</script>.edn',
  error: '</pre><script>alert("error")</script>',
} as const;

/** Raw markup that must never appear in a served page (it would be live). */
export const LIVE_MARKUP = [
  '<script>alert', '<img src=x', "onmouseover='alert", '"onmouseover="', '</svg><script', '<b onmouseover',
];

/**
 * A key-value history that is not linearizable, with hostile keys, values, process names and
 * error text: process `HOSTILE.process` writes `attrValue`, process 1 then reads `svgBreak` (never
 * written) at the same key. The write's key is the `<img>` string, the read's too.
 */
export function hostileKvOps(): Record<string, unknown>[] {
  return [
    { process: HOSTILE.process, type: 'invoke', f: 'write', value: [HOSTILE.imgValue, HOSTILE.attrValue] },
    { process: HOSTILE.process, type: 'ok', f: 'write', value: [HOSTILE.imgValue, HOSTILE.attrValue] },
    { process: 2, type: 'invoke', f: 'write', value: [HOSTILE.scriptKey, HOSTILE.control] },
    { process: 2, type: 'fail', f: 'write', value: [HOSTILE.scriptKey, HOSTILE.control], error: HOSTILE.error },
    { process: 1, type: 'invoke', f: 'read', value: [HOSTILE.imgValue, null] },
    { process: 1, type: 'ok', f: 'read', value: [HOSTILE.imgValue, HOSTILE.svgBreak] },
  ];
}

/** A list-append transaction history with a dirty (aborted) read on a hostile key: G1a. */
export function hostileTxnOps(): Record<string, unknown>[] {
  return [
    { process: 0, type: 'invoke', f: 'txn', value: [['append', HOSTILE.scriptKey, 1]] },
    { process: 0, type: 'fail', f: 'txn', value: [['append', HOSTILE.scriptKey, 1]], error: HOSTILE.error },
    { process: HOSTILE.process, type: 'invoke', f: 'txn', value: [['r', HOSTILE.scriptKey, null]] },
    { process: HOSTILE.process, type: 'ok', f: 'txn', value: [['r', HOSTILE.scriptKey, [1]]] },
  ];
}

/** Submits a job through the API and waits for it to finish. */
export async function submitAndWait(t: TestApp, auth: string, url: string, payload: unknown): Promise<Record<string, unknown>> {
  const res = await t.app.inject({ method: 'POST', url, headers: { authorization: auth }, payload: payload as object });
  if (res.statusCode !== 202) throw new Error(`submission refused: ${res.statusCode} ${res.body}`);
  return waitForJob(t.app, auth, res.json().id as string);
}

/** Signs in through the login form and returns the session cookie (`name=value`). */
export async function signIn(app: FastifyInstance, authorization: string): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/ui/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ token: authorization.replace(/^Bearer /, ''), next: '/ui' }).toString(),
  });
  if (res.statusCode !== 303) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  return String(res.headers['set-cookie']).split(';')[0]!;
}

/** A page fetched with a session cookie. */
export function page(app: FastifyInstance, url: string, cookie: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url, headers: { cookie } });
}

/** Asserts nothing hostile reached the page as markup; returns the offending snippet if one did. */
export function liveMarkupIn(body: string): string | undefined {
  for (const m of LIVE_MARKUP) {
    const at = body.indexOf(m);
    if (at >= 0) return body.slice(Math.max(0, at - 80), at + 80);
  }
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/.exec(body);
  return control !== null ? `control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0')}` : undefined;
}
