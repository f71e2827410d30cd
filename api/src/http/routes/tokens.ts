import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ApiError } from '../../errors.js';
import type { AppDeps } from '../app-deps.js';
import { AUTH_ERRORS, errorResponses } from '../schemas/common.js';
import { CreateTokenBodySchema, CreatedTokenSchema, TokenSchema, type CreateTokenBody } from '../schemas/token.js';

/** Token administration (admin scope): what `verdict token --server` calls. */
export function registerTokenRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.post('/tokens', {
    config: { scope: 'admin' },
    schema: {
      tags: ['tokens'],
      summary: 'Create an API token (the secret is in this answer only)',
      security: [{ bearer: [] }],
      body: CreateTokenBodySchema,
      response: { 201: CreatedTokenSchema, ...errorResponses(400, ...AUTH_ERRORS) },
    },
  }, async (request, reply) => {
    const body = request.body as CreateTokenBody;
    const created = await deps.tokens.create({ name: body.name, scopes: body.scopes, team: body.team ?? null });
    return reply.status(201).send(created);
  });

  app.get('/tokens', {
    config: { scope: 'admin' },
    schema: {
      tags: ['tokens'],
      summary: 'List API tokens (never their secrets)',
      security: [{ bearer: [] }],
      response: { 200: Type.Object({ tokens: Type.Array(TokenSchema) }), ...errorResponses(...AUTH_ERRORS) },
    },
  }, async () => {
    const rows = await deps.tokens.list();
    return {
      tokens: rows.map((t) => ({ ...t, createdAt: t.createdAt.toISOString(), lastUsedAt: t.lastUsedAt?.toISOString() ?? null, revokedAt: t.revokedAt?.toISOString() ?? null })),
    };
  });

  app.delete('/tokens/:id', {
    config: { scope: 'admin' },
    schema: {
      tags: ['tokens'],
      summary: 'Revoke an API token, by id or by its prefix',
      security: [{ bearer: [] }],
      params: Type.Object({ id: Type.String({ minLength: 4, maxLength: 64 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ revoked: Type.Integer() }), ...errorResponses(400, ...AUTH_ERRORS, 404) },
    },
  }, async (request) => {
    const { id } = request.params as { id: string };
    const revoked = await deps.tokens.revoke(id);
    if (revoked === 0) throw new ApiError('VRD_ERR_TOKEN_NOT_FOUND', id);
    return { revoked };
  });
}
