import { Type, type Static } from '@sinclair/typebox';

const ScopeSchema = Type.Union([Type.Literal('submit'), Type.Literal('read'), Type.Literal('admin')]);

export const TokenSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  team: Type.Union([Type.String(), Type.Null()]),
  scopes: Type.Array(ScopeSchema),
  prefix: Type.String({ description: 'The first characters of the secret' }),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const CreatedTokenSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  team: Type.Union([Type.String(), Type.Null()]),
  scopes: Type.Array(ScopeSchema),
  secret: Type.String({ description: 'Shown once; only its SHA-256 is stored' }),
});

export const CreateTokenBodySchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 128 }),
  scopes: Type.Array(ScopeSchema, { minItems: 1, uniqueItems: true }),
  team: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()])),
}, { additionalProperties: false });
export type CreateTokenBody = Static<typeof CreateTokenBodySchema>;
