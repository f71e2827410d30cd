import { randomInt } from 'node:crypto';
import type { Readable } from 'node:stream';
import { createModel, HISTORY_FORMATS, MODEL_NAMES, nestsDeeperThan, parseHistory, parseJsonExact, readHistoryStream, VALUE_DEPTH_MAX, VerdictError, type CheckerErrorCode, type HistoryFormat } from '@verdict/checker';
import { ApiError } from '../../errors.js';
import { parseInlineOps, validateRunSpec, type CheckSpec } from '../../jobs/engine.js';
import { validateDatabaseTest } from '../../jobs/database-test-job.js';
import type { NewJob } from '../../jobs/submit-job.js';
import { holdsBigInt } from '../plugins/exact-json.js';
import { didYouMean } from '../did-you-mean.js';
import { readForm } from '../plugins/multipart-form.js';
import { readCreateJobBody } from './create-job-body.js';
import { autoGunzip, type UploadLimits } from '../plugins/uploads.js';
import { type RunBody, type TestBody, type UploadQuery } from '../schemas/job.js';

/** A history's name (`source`) is kept to this many characters, as the query string's schema says. */
const SOURCE_CHARS_MAX = 256;

/** How an uploaded history is read: the limits, and the signal that stops the reading. */
export interface UploadReading {
  limits: UploadLimits;
  signal: AbortSignal;
}

/** Form fields that name check options. */
const FORM_FIELDS = ['format', 'model', 'init', 'source', 'levels', 'timeLimitMs', 'maxAttempts'] as const;

/** Check options as strings (query string, multipart fields), before they are read. */
type RawOptions = Partial<Record<'format' | 'model' | 'init' | 'source' | 'levels' | 'timeLimitMs' | 'maxAttempts', string | number | boolean>>;

/**
 * A JSON body: an array of ops (options in the query), a check with its history, a protocol run,
 * or a database test (its target a name from `targets`, the service's allow-list).
 */
export async function jobFromJson(raw: unknown, query: UploadQuery, targets: Readonly<Record<string, string>> = {}): Promise<NewJob> {
  const body = readCreateJobBody(raw);
  if (body.kind === 'ops') {
    const options = readOptions(query, 'querystring');
    return { kind: 'check', history: parseInlineOps(body.ops, options.spec.source ?? 'upload'), spec: { ...options.spec, format: 'json' }, ...maxAttempts(options) };
  }
  if (body.kind === 'run') return jobFromRun(body.body);
  if (body.kind === 'test') return jobFromTest(body.body, targets);
  const check = body.body;
  refuseDeep(check.init, 'body.init');
  const spec: CheckSpec = compact({ model: check.model, init: check.init, source: check.source ?? 'upload', levels: check.levels, timeLimitMs: check.timeLimitMs, format: check.format });
  checkModel(spec, 'body');
  const history = typeof check.history === 'string'
    ? parseHistory(check.history, compact({ format: check.format, source: spec.source }))
    : parseInlineOps(check.history, spec.source!);
  return { kind: 'check', history, spec: { ...spec, format: spec.format ?? history.format }, ...(check.maxAttempts !== undefined ? { maxAttempts: check.maxAttempts } : {}) };
}

/** A raw body holding the history file (any of the parser's formats, gzip or not). */
export async function jobFromRawBody(stream: Readable, query: UploadQuery, reading: UploadReading): Promise<NewJob> {
  const options = readOptions(query, 'querystring');
  const history = await readHistoryStream(autoGunzip(stream, reading.limits, reading.signal), compact({ format: options.spec.format, source: options.spec.source ?? 'upload' }));
  return { kind: 'check', history, spec: { ...options.spec, source: options.spec.source ?? 'upload', format: options.spec.format ?? history.format }, ...maxAttempts(options) };
}

/**
 * A multipart form: the file in a part named `history`, read as it arrives; options as fields
 * (before the file, so `format` can steer the parser) or in the query string.
 */
export async function jobFromMultipart(stream: Readable, contentType: string, query: UploadQuery, reading: UploadReading): Promise<NewJob> {
  const fields: RawOptions = { ...(query as RawOptions) };
  const job = await readForm<NewJob>(stream, contentType, { fieldsMax: FORM_FIELDS.length * 2, fieldBytesMax: 1 << 20, fileBytesMax: reading.limits.bodyLimitBytes }, {
    field(name, value) {
      if (!(FORM_FIELDS as readonly string[]).includes(name)) throw new ApiError('VRD_ERR_API_INVALID', 'unknown form field', { field: `form.${name}` });
      fields[name as keyof RawOptions] = value;
    },
    async file(name, filename, file) {
      if (name !== 'history') throw new ApiError('VRD_ERR_API_INVALID', 'the history file must be sent in a part named "history"', { field: `form.${name}` });
      const options = readOptions(fields, 'form');
      const source = options.spec.source ?? (filename !== undefined ? filename.slice(0, SOURCE_CHARS_MAX) : 'upload');
      const history = await readHistoryStream(autoGunzip(file, reading.limits, reading.signal), compact({ format: options.spec.format, source }));
      return { kind: 'check', history, spec: { ...options.spec, source, format: options.spec.format ?? history.format }, ...maxAttempts(options) };
    },
  });
  if (job === undefined) throw new ApiError('VRD_ERR_API_INVALID', 'no file: send the history in a part named "history"', { field: 'form.history' });
  // Fields after the file still count for the check (not for parsing).
  const late = readOptions(fields, 'form');
  if (job.kind === 'check') job.spec = { ...late.spec, ...job.spec, ...compact({ model: late.spec.model, init: late.spec.init }) };
  return job;
}

async function jobFromRun(body: RunBody): Promise<NewJob> {
  const { maxAttempts: attempts, ...spec } = body;
  // One seed, one history: a run without a seed gets one, stored with the job so it can be replayed.
  const resolved = { ...spec, seed: spec.seed ?? randomInt(0, 2 ** 47) };
  await validateRunSpec(resolved);
  return { kind: 'run', spec: resolved, ...(attempts !== undefined ? { maxAttempts: attempts } : {}) };
}

function jobFromTest(body: TestBody, targets: Readonly<Record<string, string>>): NewJob {
  const { maxAttempts: attempts, ...rest } = body;
  const spec = validateDatabaseTest(rest, targets);
  return { kind: 'test', spec, ...(attempts !== undefined ? { maxAttempts: attempts } : {}) };
}

/** Reads and checks string options (multipart fields; the query string is already typed by its schema). */
function readOptions(raw: RawOptions, where: 'querystring' | 'form'): { spec: CheckSpec; maxAttempts?: number } {
  const spec: CheckSpec = {};
  let attempts: number | undefined;
  const field = (name: string): { field: string } => ({ field: `${where}.${name}` });
  if (raw.format !== undefined) {
    if (!(HISTORY_FORMATS as readonly string[]).includes(String(raw.format))) throw new ApiError('VRD_ERR_API_INVALID', `must be one of ${HISTORY_FORMATS.join(', ')}`, field('format'));
    spec.format = String(raw.format) as HistoryFormat;
  }
  if (raw.model !== undefined) spec.model = String(raw.model);
  checkModel(spec, where);
  if (raw.source !== undefined) spec.source = String(raw.source).slice(0, SOURCE_CHARS_MAX);
  if (raw.init !== undefined) {
    try {
      spec.init = JSON.parse(String(raw.init));
    } catch {
      throw new ApiError('VRD_ERR_API_INVALID', 'must be JSON text, e.g. 0, "x" or {"a":1}', field('init'));
    }
    refuseDeep(spec.init, field('init').field);
    if (holdsBigInt(parseJsonExact(String(raw.init)))) throw new ApiError('VRD_ERR_API_INVALID', 'an integer beyond ±(2^53 − 1) cannot be kept exact in init; send it within a history instead', field('init'));
  }
  if (spec.init !== undefined) checkModel(spec, where);
  if (raw.levels !== undefined) {
    if (!['true', 'false'].includes(String(raw.levels))) throw new ApiError('VRD_ERR_API_INVALID', 'must be true or false', field('levels'));
    spec.levels = String(raw.levels) === 'true';
  }
  if (raw.timeLimitMs !== undefined) spec.timeLimitMs = intIn(raw.timeLimitMs, 100, 86_400_000, field('timeLimitMs'));
  if (raw.maxAttempts !== undefined) attempts = intIn(raw.maxAttempts, 1, 20, field('maxAttempts'));
  return attempts === undefined ? { spec } : { spec, maxAttempts: attempts };
}

function intIn(raw: string | number | boolean, min: number, max: number, at: { field: string }): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ApiError('VRD_ERR_API_INVALID', `must be an integer from ${min} to ${max}`, at);
  return n;
}

function maxAttempts(options: { maxAttempts?: number }): { maxAttempts?: number } {
  return options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts };
}

/**
 * A model is checked at submission (its name, and its initial state when given), so a typo is
 * a 400 naming the field rather than a job that fails later.
 */
function checkModel(spec: CheckSpec, where: string): void {
  if (spec.model === undefined) return;
  if (!MODEL_NAMES.includes(spec.model)) {
    throw new ApiError('VRD_ERR_API_INVALID', `unknown model ${JSON.stringify(spec.model)}${didYouMean(spec.model, MODEL_NAMES)} (known: ${MODEL_NAMES.join(', ')})`, { field: `${where}.model` });
  }
  if (spec.init === undefined) return;
  try {
    createModel(spec.model, spec.init);
  } catch (e) {
    if (e instanceof VerdictError) throw new VerdictError(e.code as CheckerErrorCode, e.reason, { field: `${where}.init` });
    throw e;
  }
}

/** An initial state nested too deeply for the checks' recursive walks: 422 naming the field. */
function refuseDeep(init: unknown, field: string): void {
  if (nestsDeeperThan(init)) throw new VerdictError('VRD_ERR_HISTORY_TOO_DEEP', `values may nest at most ${VALUE_DEPTH_MAX} levels deep`, { field });
}

/** Drops undefined fields (exactOptionalPropertyTypes-friendly objects for the checker). */
function compact<T extends Record<string, unknown>>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
