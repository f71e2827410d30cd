import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TokenStore } from '../auth/token-store.js';
import { ApiError } from '../errors.js';
import { authorize, bearerToken } from '../http/plugins/auth.js';
import { link } from './html.js';

/**
 * Browser sessions. A link cannot carry a Bearer header, so signing in stores the API token in
 * a cookie the pages read instead: HttpOnly (no script can read it), SameSite=Strict (no other
 * site can make the browser send it), Path=/ui (the JSON API never receives or reads it), and
 * Secure over HTTPS. The token is checked on every request exactly like a Bearer header, so a
 * revoked token ends its sessions too (within the token cache's 30 s).
 */
export const SESSION_COOKIE = 'verdict_session';
const SESSION_MAX_AGE_S = 12 * 3600;
/** Tokens are `vrd_` and base64url: anything else is not ours, and never reaches a Set-Cookie header (no `;`, `=` or line breaks). */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{1,200}$/;

export function isTokenShaped(text: string): boolean {
  return TOKEN_SHAPE.test(text);
}

export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MAX_AGE_S}${secure ? '; Secure' : ''}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}

export function isSecure(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

/** One cookie's value from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Where the login page sends the browser back to: only a page of ours, never another site. */
export function safeNext(next: unknown): string {
  // eslint-disable-next-line no-control-regex
  if (typeof next !== 'string' || !next.startsWith('/ui') || next.includes('\\') || /[\u0000-\u001F]/.test(next)) return '/ui';
  const url = new URL(next, 'http://verdict.invalid');
  if (url.origin !== 'http://verdict.invalid' || !/^\/ui(\/|$)/.test(url.pathname) || url.pathname.startsWith('/ui/login')) return '/ui';
  return url.pathname + url.search;
}

/**
 * The pages' authentication (a preHandler): a Bearer header as on the API, or else the session
 * cookie. Without either the browser is sent to the login page, and back here afterwards; a
 * cookie whose token no longer works is cleared first. The caller lands in `request.principal`.
 */
export function requireViewer(tokens: TokenStore) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization;
    if (header !== undefined && header !== '') {
      request.principal = authorize(await tokens.verify(bearerToken(header)), 'read');
      return;
    }
    const token = readCookie(request.headers.cookie, SESSION_COOKIE);
    const back = link('/ui/login', { next: request.url });
    if (token === undefined || token === '') {
      await reply.redirect(back, 303);
      return;
    }
    const principal = isTokenShaped(token) ? await tokens.verify(token) : null;
    if (principal === null) {
      await reply.header('set-cookie', clearedSessionCookie(isSecure(request))).redirect(link('/ui/login', { next: request.url, expired: 1 }), 303);
      return;
    }
    request.principal = authorize(principal, 'read');
  };
}

/**
 * Forms post only from our own pages: a browser says where a form came from (Sec-Fetch-Site,
 * Origin), and another site's form cannot sign a visitor in to the poster's token or out.
 */
export function assertSameOrigin(request: FastifyRequest): void {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new ApiError('VRD_ERR_API_INVALID', `a form posted from another site (${String(site)}) is refused`);
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let same = false;
  try {
    const from = new URL(origin);
    // Through URL on both sides, so a default port written out (`:80`) compares equal to none.
    same = from.host === new URL(`${from.protocol}//${request.headers.host ?? ''}`).host;
  } catch {
    // `Origin: null` (an opaque origin) and anything unparsable are refused.
  }
  if (!same) throw new ApiError('VRD_ERR_API_INVALID', 'a form posted from another origin is refused');
}
