import { Type } from '@sinclair/typebox';

/**
 * A report as the checker returns it (checker/src/report/report.ts). The nested results are
 * documented by the checker's types; the API passes them through untouched.
 */
export const ReportSchema = Type.Object({
  version: Type.Literal(1),
  kind: Type.Union([Type.Literal('single-object'), Type.Literal('transactional')]),
  history: Type.Object({
    source: Type.Optional(Type.String()),
    format: Type.Optional(Type.String()),
    events: Type.Integer(),
    operations: Type.Integer(),
    processes: Type.Integer(),
    faults: Type.Integer(),
  }, { additionalProperties: true }),
  model: Type.Optional(Type.String()),
  linearizability: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'outcome ok | illegal | unknown, partitions, counterexample' })),
  consistency: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'Each level: holds, violated (with witnesses) or unknown; the strongest that holds' })),
  isolation: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'Anomalies, each level, the strongest that holds' })),
  verdict: Type.Object({
    consistency: Type.Optional(Type.String()),
    isolation: Type.Optional(Type.String()),
    outcome: Type.Union([Type.Literal('ok'), Type.Literal('violated'), Type.Literal('unknown')]),
    summary: Type.String(),
  }),
  elapsedMs: Type.Number(),
}, { $id: 'Report', additionalProperties: true });

export const ReportQuerySchema = Type.Object({
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('text'), Type.Literal('junit'), Type.Literal('svg')], { description: 'json (default), text, JUnit XML, or the SVG timeline' })),
  require: Type.Optional(Type.String({ maxLength: 32, description: 'With format=junit: add a test case for this required level' })),
}, { additionalProperties: false });
