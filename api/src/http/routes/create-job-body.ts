import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { TObject } from '@sinclair/typebox';
import { ApiError } from '../../errors.js';
import { closestName, didYouMean } from '../did-you-mean.js';
import { CheckBodySchema, RunBodySchema, TestBodySchema, type CheckBody, type RunBody, type TestBody } from '../schemas/job.js';

/** A POST /jobs JSON body, read: which kind of job it asks for, its fields checked. */
export type CreateJobBody =
  | { kind: 'ops'; ops: Record<string, unknown>[] }
  | { kind: 'run'; body: RunBody }
  | { kind: 'check'; body: CheckBody }
  | { kind: 'test'; body: TestBody };

/**
 * Each kind of body: its schema (compiled once) and the fields where null is a value, not "absent".
 * A new field (a run's `target`, say) is a schema property: this reader needs no change.
 */
const KINDS = {
  run: { schema: RunBodySchema, compiled: TypeCompiler.Compile(RunBodySchema), nullable: [] as readonly string[] },
  check: { schema: CheckBodySchema, compiled: TypeCompiler.Compile(CheckBodySchema), nullable: ['init'] as readonly string[] },
  test: { schema: TestBodySchema, compiled: TypeCompiler.Compile(TestBodySchema), nullable: [] as readonly string[] },
} as const;

/** The field that says which kind of body this is. */
const MARKERS = { protocol: 'run', history: 'check', target: 'test' } as const;

/**
 * Reads a JSON body more strictly, and more helpfully, than a union schema can: unknown fields are
 * refused by name (with the field meant, when close), null means absent (`"bug": null`), and a
 * history that is missing, empty or of the wrong type is said to be so, rather than the first
 * complaint of whichever schema branch came last.
 */
export function readCreateJobBody(raw: unknown): CreateJobBody {
  if (Array.isArray(raw)) return { kind: 'ops', ops: readOps(raw, 'body') };
  if (raw === null || typeof raw !== 'object') throw invalid('body', 'must be a JSON object (a run or a check) or an array of ops');
  const object = raw as Record<string, unknown>;
  const marker = (Object.keys(MARKERS) as (keyof typeof MARKERS)[]).find((m) => m in object);
  if (marker === undefined) {
    for (const key of Object.keys(object)) {
      const meant = closestName(key, [...Object.keys(MARKERS), ...Object.keys(CheckBodySchema.properties), ...Object.keys(RunBodySchema.properties), ...Object.keys(TestBodySchema.properties)]);
      if (meant !== key) throw invalid(`body.${key}`, `unknown field${meant !== undefined ? ` (did you mean "${meant}"?)` : ''}`);
    }
    throw invalid('body', 'send "history" (a history to check), "protocol" (a protocol to run) or "target" (a database to test)');
  }
  const kind = MARKERS[marker];
  const { schema, compiled, nullable } = KINDS[kind];
  refuseUnknown(object, schema);
  const present = Object.fromEntries(Object.entries(object).filter(([key, value]) => value !== null || nullable.includes(key)));
  if (kind === 'check') checkHistoryField(present.history);
  const issue = compiled.Errors(present).First();
  if (issue !== undefined) throw invalid(`body${issue.path.replaceAll('/', '.')}`, issue.message.toLowerCase());
  if (kind === 'run') return { kind, body: present as RunBody };
  return kind === 'test' ? { kind, body: present as TestBody } : { kind, body: present as CheckBody };
}

function refuseUnknown(object: Record<string, unknown>, schema: TObject): void {
  const known = Object.keys(schema.properties);
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) throw invalid(`body.${key}`, `unknown field${didYouMean(key, known)}`);
  }
}

/** What is wrong with a history, said plainly. */
function checkHistoryField(history: unknown): void {
  if (history === undefined) throw invalid('body.history', 'required: an array of op maps, or the history file\'s text');
  if (typeof history === 'string') {
    if (history.trim() === '') throw invalid('body.history', 'the history text is empty');
    return;
  }
  if (!Array.isArray(history)) throw invalid('body.history', `must be an array of op maps or the history file's text, not ${history === null ? 'null' : typeof history}`);
  readOps(history, 'body.history');
}

function readOps(ops: unknown[], at: string): Record<string, unknown>[] {
  if (ops.length === 0) throw invalid(at, 'the history is empty: send at least one operation');
  const bad = ops.findIndex((op) => op === null || typeof op !== 'object' || Array.isArray(op));
  if (bad >= 0) throw invalid(`${at}[${bad}]`, 'each operation must be an object like {"process": 0, "type": "invoke", "f": "read", "value": null}');
  return ops as Record<string, unknown>[];
}

function invalid(field: string, reason: string): ApiError {
  return new ApiError('VRD_ERR_API_INVALID', reason, { field });
}
