import { Type, type Static } from '@sinclair/typebox';

/** The body of every error response: the checker's VerdictError shape. */
export const ErrorBodySchema = Type.Object({
  code: Type.String({ description: 'VRD_ERR_* code (see docs/service.md)', examples: ['VRD_ERR_HISTORY_FIELD'] }),
  message: Type.String({ description: 'What is wrong, naming the field or the line' }),
  status: Type.Integer({ description: 'The HTTP status' }),
  location: Type.Optional(Type.Object({
    field: Type.Optional(Type.String()),
    line: Type.Optional(Type.Integer()),
    file: Type.Optional(Type.String()),
    opIndex: Type.Optional(Type.Integer()),
  }, { additionalProperties: false })),
}, { $id: 'ErrorBody', additionalProperties: false });

export const JobIdParamsSchema = Type.Object({
  id: Type.String({ format: 'uuid', description: 'A job id' }),
}, { additionalProperties: false });
export type JobIdParams = Static<typeof JobIdParamsSchema>;

/** Error responses a route may give, by status, all with the one error shape. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorBodySchema> {
  const out: Record<number, typeof ErrorBodySchema> = {};
  for (const s of statuses) out[s] = ErrorBodySchema;
  return out;
}

/** Statuses every authenticated route can answer with. */
export const AUTH_ERRORS = [401, 403, 429] as const;

