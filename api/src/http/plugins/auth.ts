import type { FastifyInstance } from 'fastify';
import { hasScope, type Principal, type Scope, type TokenStore } from '../../auth/token-store.js';
import { ApiError } from '../../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, on routes that need a token. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one are open (health, metrics, docs). */
    scope?: Scope;
  }
}

/**
 * Bearer tokens: a route that declares a scope needs `Authorization: Bearer <token>` with that
 * scope. Checked on request, before the body is read, so an unauthenticated upload costs nothing.
 */
export function registerAuth(app: FastifyInstance, tokens: TokenStore): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const scope = request.routeOptions.config.scope;
    if (scope === undefined) return;
    const header = request.headers.authorization;
    if (header === undefined || header === '') throw new ApiError('VRD_ERR_API_AUTH_MISSING', 'send Authorization: Bearer <token> (create one with `verdict token create`)');
    request.principal = authorize(await tokens.verify(bearerToken(header)), scope);
  });
}

/** The token of an `Authorization: Bearer <token>` header (the API's and the pages'); 401 for any other shape. */
export function bearerToken(header: string): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (match === null) throw new ApiError('VRD_ERR_API_AUTH_INVALID', 'the Authorization header must be "Bearer <token>"');
  return match[1]!;
}

/** The caller of a verified token, if it has `scope`: 401 for an unknown or revoked token, 403 without the scope. */
export function authorize(principal: Principal | null, scope: Scope): Principal {
  if (principal === null) throw new ApiError('VRD_ERR_API_AUTH_INVALID', 'unknown or revoked token');
  if (!hasScope(principal, scope)) throw new ApiError('VRD_ERR_API_SCOPE', `${scope} is needed; this token has ${principal.scopes.join(', ')}`);
  return principal;
}

/** The caller of a route that declares a scope (the auth hook ran first). */
export function principalOf(request: { principal: Principal | null }): Principal {
  if (request.principal === null) throw new ApiError('VRD_ERR_API_AUTH_MISSING', 'this route needs a token');
  return request.principal;
}
