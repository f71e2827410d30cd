import { Type, type Static } from '@sinclair/typebox';
import { HISTORY_FORMATS } from '@verdict/checker';
import { DB_WORKLOADS, SQL_ISOLATION_LEVELS } from '@verdict/workers';

export const JOB_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export const OUTCOMES = ['ok', 'violated', 'unknown'] as const;

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const JobProgressSchema = Type.Object({
  phase: Type.String(),
  done: Type.Optional(Type.Number()),
  total: Type.Optional(Type.Number()),
  message: Type.Optional(Type.String()),
});

/** A job as the API shows it. */
export const JobSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Type.Union([Type.Literal('check'), Type.Literal('run'), Type.Literal('test')]),
  status: Type.Union(JOB_STATUSES.map((s) => Type.Literal(s))),
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  team: Nullable(Type.String()),
  protocol: Nullable(Type.String()),
  model: Nullable(Type.String()),
  spec: Type.Record(Type.String(), Type.Unknown(), { description: 'The run spec or the check options, as submitted' }),
  outcome: Type.Union([...OUTCOMES.map((s) => Type.Literal(s)), Type.Null()], { description: 'The verdict once done: unknown is never a pass' }),
  consistency: Nullable(Type.String({ description: 'Strongest consistency level that holds' })),
  isolation: Nullable(Type.String({ description: 'Strongest isolation level that holds' })),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String(), status: Type.Optional(Type.Integer()) }, { additionalProperties: true }), Type.Null()]),
  progress: Type.Union([JobProgressSchema, Type.Null()]),
  parentId: Nullable(Type.String({ format: 'uuid' })),
  partIndex: Type.Union([Type.Integer(), Type.Null()]),
  partsTotal: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  startedAt: Nullable(Type.String({ format: 'date-time' })),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
  links: Type.Object({ self: Type.String(), report: Type.String(), history: Type.String(), events: Type.String() }),
}, { $id: 'Job' });
export type JobView = Static<typeof JobSchema>;

export const JobListSchema = Type.Object({
  jobs: Type.Array(JobSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

/** Options of a check, in a JSON body or (for raw and multipart uploads) in the query string. */
const CheckOptions = {
  format: Type.Optional(Type.Union(HISTORY_FORMATS.map((f) => Type.Literal(f)), { description: 'Detected when absent' })),
  model: Type.Optional(Type.String({ maxLength: 64, description: 'Checker model: register, cas-register, kv, ... (implied for Porcupine logs)' })),
  source: Type.Optional(Type.String({ maxLength: 256, description: 'A name for the history (a file name)' })),
  levels: Type.Optional(Type.Boolean({ description: 'Check every consistency level (sequential, session, user, eventual), not only linearizability (default false, as verdict check)' })),
  timeLimitMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 86_400_000 })),
  maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
};

export const CheckBodySchema = Type.Object({
  history: Type.Union([
    Type.Array(Type.Record(Type.String(), Type.Unknown()), { minItems: 1, description: 'Jepsen op maps' }),
    Type.String({ minLength: 1, description: 'The history file\'s text (EDN, JSONL, Porcupine log...)' }),
  ]),
  init: Type.Optional(Type.Unknown({ description: "The model's initial state" })),
  ...CheckOptions,
}, { additionalProperties: false, title: 'Check a history' });
export type CheckBody = Static<typeof CheckBodySchema>;

/** A protocol run (see `verdict run --help`); values are checked by the simulator at submission. Null means absent. */
export const RunBodySchema = Type.Object({
  protocol: Type.String({ minLength: 1, maxLength: 64, examples: ['paxos'] }),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Chosen at random (and stored) when absent' })),
  nemesis: Type.Optional(Type.String({ maxLength: 64 })),
  nemesisTrigger: Type.Optional(Type.Union([Type.String({ maxLength: 256, description: "One of the protocol's marked events (or a chain a>b): faults wait for it" }), Type.Null()])),
  bug: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  scenario: Type.Optional(Type.Union([Type.String({ maxLength: 64, description: "One of the protocol's scenarios (see verdict run --help)" }), Type.Null()])),
  ops: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  nodes: Type.Optional(Type.Integer({ minimum: 1, maximum: 15 })),
  clients: Type.Optional(Type.Integer({ minimum: 1, maximum: 256 })),
  concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 16 })),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1 })),
  checkTimeLimitMs: Type.Optional(Type.Integer({ minimum: 1 })),
  thinkMsMean: Type.Optional(Type.Number({ minimum: 0 })),
  quietOps: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  settleMs: Type.Optional(Type.Integer({ minimum: 0 })),
  blockedAfterMs: Type.Optional(Type.Integer({ minimum: 1 })),
  clockDriftPpmMax: Type.Optional(Type.Number({ minimum: 0 })),
  clockJumpMsMax: Type.Optional(Type.Number({ minimum: 0 })),
  clockOffsetMsMax: Type.Optional(Type.Number({ minimum: 0 })),
  network: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Network options (delays, loss, duplication)' })),
  nemesisTiming: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Fault timing (gaps, durations)' })),
  params: Type.Optional(Type.Record(Type.String(), Type.Number())),
  maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
  routing: Type.Optional(Type.Union([Type.Literal('sticky'), Type.Literal('roaming')], { description: 'Clients keep to one node (one replica per key where keys are placed), or pick one per operation' })),
  n: Type.Optional(Type.Integer({ minimum: 1, maximum: 15, description: 'Replicas per key (protocols with tunable replication: eventual)' })),
  r: Type.Optional(Type.Integer({ minimum: 1, maximum: 15, description: 'Replies a read waits for' })),
  w: Type.Optional(Type.Integer({ minimum: 1, maximum: 15, description: 'Acknowledgements a write waits for' })),
  resolve: Type.Optional(Type.Union([Type.Literal('lww'), Type.Literal('siblings')], { description: 'Last writer wins, or version vectors with siblings returned to the client' })),
  sloppyQuorum: Type.Optional(Type.Boolean({ description: 'Stand-ins take writes with hints for unreachable replicas (default true)' })),
}, { additionalProperties: false, title: 'Run a protocol' });
export type RunBody = Static<typeof RunBodySchema>;

/**
 * A database test (see `verdict test --help`) against a target the service allows, by name. Only
 * the shape is checked here; the values are checked by the workers' spec reader, whose errors name
 * the field (as a run spec's are).
 */
const described = (description: string) => Type.Optional(Type.Unknown({ description }));
export const TestBodySchema = Type.Object({
  target: Type.String({ minLength: 1, maxLength: 256, description: 'The name of a database this service may reach (its VERDICT_TARGETS); never an address', examples: ['pg'] }),
  workload: Type.String({ maxLength: 64, description: `One of ${DB_WORKLOADS.join(', ')}` }),
  isolation: Type.String({ maxLength: 64, description: `One of ${SQL_ISOLATION_LEVELS.join(', ')}` }),
  clients: described('Concurrent clients, each on its own connection (1-64, default 8)'),
  ops: described('Transactions to generate (default 2,000)'),
  keys: described('Keys, accounts (bank) or ranges (predicate) in play'),
  seed: described('Seed of the generated operations (default 1)'),
  timeLimitS: described('No transaction starts after this many seconds (default 60)'),
  txnTimeoutMs: described('A client gives up on a transaction after this long: info (default 5,000)'),
  statementTimeoutMs: described('The server refuses a statement or lock wait longer than this: fail (default 2,000)'),
  abortRate: described('Fraction of transactions that roll themselves back (0-0.5, default 0.05)'),
  killEveryMs: described("Mean ms between kills of the test's own connections; 0: none"),
  checkTimeLimitMs: described('Time allowed for the check (default 120,000)'),
  maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
}, { additionalProperties: true, title: 'Test a database' });
export type TestBody = Static<typeof TestBodySchema>;

export const CreateJobJsonSchema = Type.Union([
  RunBodySchema,
  TestBodySchema,
  CheckBodySchema,
  Type.Array(Type.Record(Type.String(), Type.Unknown()), { minItems: 1, title: 'A history as a JSON array of op maps (options in the query)' }),
]);

export const UploadQuerySchema = Type.Object({
  ...CheckOptions,
  init: Type.Optional(Type.String({ maxLength: 65_536, description: "The model's initial state as JSON text" })),
}, { additionalProperties: false });
export type UploadQuery = Static<typeof UploadQuerySchema>;

export const ListJobsQuerySchema = Type.Object({
  status: Type.Optional(Type.Union(JOB_STATUSES.map((s) => Type.Literal(s)))),
  outcome: Type.Optional(Type.Union(OUTCOMES.map((s) => Type.Literal(s)), { description: 'The verdict: ok, violated or unknown' })),
  kind: Type.Optional(Type.Union([Type.Literal('check'), Type.Literal('run'), Type.Literal('test')])),
  protocol: Type.Optional(Type.String({ maxLength: 64 })),
  anomaly: Type.Optional(Type.String({ maxLength: 64, description: 'Jobs with at least one anomaly of this type (G1a, read-your-writes, ...)' })),
  parts: Type.Optional(Type.Boolean({ description: 'Include the parts of split jobs (default false)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
}, { additionalProperties: false });
export type ListJobsQuery = Static<typeof ListJobsQuerySchema>;
