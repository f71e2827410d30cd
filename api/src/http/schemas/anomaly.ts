import { Type, type Static } from '@sinclair/typebox';
import { CONSISTENCY_LEVELS, ISOLATION_LEVELS } from '@verdict/checker';

export const AnomalySchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  jobId: Type.String({ format: 'uuid' }),
  category: Type.String({ description: 'isolation, consistency or linearizability' }),
  type: Type.String({ description: 'G1a, G2, lost-update, read-your-writes, linearizability, ...' }),
  level: Type.Union([Type.String(), Type.Null()], { description: 'The weakest level it rules out' }),
  rulesOut: Type.Array(Type.String()),
  sentence: Type.String(),
  witness: Type.Unknown({ description: 'The few operations or transactions that show it' }),
  createdAt: Type.String({ format: 'date-time' }),
  links: Type.Object({ job: Type.String(), report: Type.String() }),
}, { $id: 'Anomaly' });
export type AnomalyView = Static<typeof AnomalySchema>;

export const AnomalyListSchema = Type.Object({
  anomalies: Type.Array(AnomalySchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const ListAnomaliesQuerySchema = Type.Object({
  type: Type.Optional(Type.String({ maxLength: 64, description: 'An anomaly type (G1a, G2, lost-update, ...) or a violated guarantee (read-your-writes, linearizability, convergence, ...): an unknown one is a 400' })),
  level: Type.Optional(Type.Union([...CONSISTENCY_LEVELS, ...ISOLATION_LEVELS].map((l) => Type.Literal(l)), { description: 'The weakest level ruled out' })),
  category: Type.Optional(Type.Union([Type.Literal('isolation'), Type.Literal('consistency'), Type.Literal('linearizability')])),
  protocol: Type.Optional(Type.String({ maxLength: 64 })),
  jobId: Type.Optional(Type.String({ format: 'uuid' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
}, { additionalProperties: false });
export type ListAnomaliesQuery = Static<typeof ListAnomaliesQuerySchema>;
