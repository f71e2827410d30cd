import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { toErrorBody } from '../../errors.js';
import type { AppDeps } from '../../http/app-deps.js';
import { authorize } from '../../http/plugins/auth.js';
import { html } from '../html.js';
import { sendPage } from '../layout.js';
import { SESSION_COOKIE, assertSameOrigin, clearedSessionCookie, isSecure, isTokenShaped, readCookie, safeNext, sessionCookie } from '../session.js';

const LoginQuerySchema = Type.Object({
  next: Type.Optional(Type.String({ maxLength: 2048 })),
  expired: Type.Optional(Type.String({ maxLength: 8 })),
  out: Type.Optional(Type.String({ maxLength: 8 })),
}, { additionalProperties: false });
type LoginQuery = Static<typeof LoginQuerySchema>;

const LoginBodySchema = Type.Object({
  token: Type.String({ maxLength: 512 }),
  next: Type.Optional(Type.String({ maxLength: 2048 })),
}, { additionalProperties: false });
type LoginBody = Static<typeof LoginBodySchema>;

/** A login form is a few hundred bytes: anything much larger is not one. */
const FORM_BYTES_MAX = 8 * 1024;

/**
 * Sign in with an API token (read scope or more): the token goes into the session cookie (see
 * session.ts) and the browser back to the page it wanted. Sign out clears the cookie.
 */
export function registerLoginPage(app: FastifyInstance, deps: AppDeps): void {
  // HTML forms post urlencoded; only this plugin's routes accept it.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_BYTES_MAX }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  app.get('/ui/login', { schema: { hide: true, querystring: LoginQuerySchema } }, async (request, reply) => {
    const query = request.query as LoginQuery;
    const next = safeNext(query.next);
    const token = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (token !== undefined && token !== '' && query.expired === undefined && (await deps.tokens.verify(token)) !== null) return reply.redirect(next, 303);
    const notice = query.expired !== undefined ? 'Your session ended (the token was revoked or the session expired): sign in again.'
      : query.out !== undefined ? 'Signed out.' : undefined;
    return loginForm(reply, next, notice, undefined, 200);
  });

  app.post('/ui/login', { schema: { hide: true, body: LoginBodySchema } }, async (request, reply) => {
    assertSameOrigin(request);
    const body = request.body as LoginBody;
    const next = safeNext(body.next);
    const token = body.token.trim();
    if (token === '') return loginForm(reply, next, undefined, 'Enter an API token.', 400);
    try {
      // Only a token's own characters ever reach the Set-Cookie header.
      authorize(isTokenShaped(token) ? await deps.tokens.verify(token) : null, 'read');
    } catch (e) {
      const error = toErrorBody(e);
      return loginForm(reply, next, undefined, error.message, error.status);
    }
    return reply.header('set-cookie', sessionCookie(token, isSecure(request))).redirect(next, 303);
  });

  app.post('/ui/logout', { schema: { hide: true } }, async (request, reply) => {
    assertSameOrigin(request);
    return reply.header('set-cookie', clearedSessionCookie(isSecure(request))).redirect('/ui/login?out=1', 303);
  });
}

function loginForm(reply: FastifyReply, next: string, notice: string | undefined, error: string | undefined, status: number): FastifyReply {
  const body = html`<section class="card login">
<h1>Sign in to Verdict</h1>
${notice !== undefined ? html`<p>${notice}</p>` : ''}
${error !== undefined ? html`<p class="error-box" role="alert">${error}</p>` : ''}
<form method="post" action="/ui/login">
<label for="token">API token (<code>verdict token create --scopes read</code>)</label>
<input id="token" name="token" type="password" autocomplete="current-password" required maxlength="512" autofocus>
<input type="hidden" name="next" value="${next}">
<button type="submit" class="primary">Sign in</button>
</form>
<p class="small muted">The token is kept in an HttpOnly cookie for this site's pages only, for 12 hours or until you sign out.
Already signed in? <a href="${next}">Continue</a> (a link from another site does not carry the session).</p>
</section>`;
  return sendPage(reply, { title: 'Sign in', body }, status);
}
