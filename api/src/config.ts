import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { DEFAULT_PREFIX, DEFAULT_QUEUE_NAME, parseTarget } from '@verdict/workers';
import { ApiError } from './errors.js';

/**
 * Everything the service reads from its environment, with defaults that make `npm start` work
 * on a fresh machine: no DATABASE_URL → embedded Postgres (PGlite) under the data folder; no
 * REDIS_URL → jobs run in the API process.
 */
export interface ServiceConfig {
  /** Real Postgres; absent → embedded PGlite. */
  databaseUrl: string | undefined;
  /** BullMQ on Redis; absent → in-process runner. */
  redisUrl: string | undefined;
  /** Embedded database files and the admin token. `VERDICT_DATA_DIR`, default `./.verdict`. */
  dataDir: string;
  /** `HOST`; forced to 127.0.0.1 in embedded mode. */
  host: string;
  port: number;
  /** Largest request body, compressed as sent. `VERDICT_UPLOAD_LIMIT_MB`, default 256. */
  bodyLimitBytes: number;
  /** Largest history once decompressed. `VERDICT_HISTORY_LIMIT_MB`, default 1024. */
  historyBytesMax: number;
  /** Largest decompressed/compressed size ratio of an upload (a gzip bomb's is ~1000). `VERDICT_INFLATE_RATIO_MAX`, default 200. */
  inflateRatioMax: number;
  /** Requests per minute per token (or address); 0 turns the limit off. `VERDICT_RATE_LIMIT`, default 1200. */
  rateLimitPerMinute: number;
  /** A request that has not been answered by then gets 503. `VERDICT_REQUEST_TIMEOUT_MS`, default 30 000. */
  requestTimeoutMs: number;
  /** Jobs the in-process runner (or `verdict worker`) runs at once. `VERDICT_CONCURRENCY`. */
  concurrency: number;
  /** A job's lease: a worker silent for this long has died. `VERDICT_LEASE_MS`, default 30 000. */
  leaseMs: number;
  /** How often to compare Postgres with Redis. `VERDICT_RECONCILE_MS`, default 10 000. */
  reconcileMs: number;
  queueName: string;
  queuePrefix: string;
  maxAttempts: number;
  /** Checks of more operations than this split by key into parts (Redis mode). `VERDICT_SPLIT_OPS`. */
  splitThresholdOps: number;
  splitPartsMax: number;
  /** Time budget of one check; past it the verdict is `unknown`. `VERDICT_CHECK_TIME_LIMIT_MS`. */
  checkTimeLimitMs: number;
  /** Pino log level, or false for none. `VERDICT_LOG`, default `info`. */
  logLevel: string | false;
  /**
   * The databases that database-test jobs may reach, by name: `VERDICT_TARGETS="pg=postgres://…,
   * maria=mysql://…"`. A job names one; an address sent by a client is never dialled.
   */
  targets: Readonly<Record<string, string>>;
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, overrides: Partial<ServiceConfig> = {}): ServiceConfig {
  const databaseUrl = nonEmpty(env.DATABASE_URL);
  const config: ServiceConfig = {
    databaseUrl,
    redisUrl: nonEmpty(env.REDIS_URL),
    dataDir: resolve(env.VERDICT_DATA_DIR ?? '.verdict'),
    host: env.HOST ?? '127.0.0.1',
    port: int(env, 'PORT', 8080, 0, 65_535),
    bodyLimitBytes: int(env, 'VERDICT_UPLOAD_LIMIT_MB', 256, 1, 1 << 20) * 1024 * 1024,
    historyBytesMax: int(env, 'VERDICT_HISTORY_LIMIT_MB', 1024, 1, 1 << 20) * 1024 * 1024,
    inflateRatioMax: int(env, 'VERDICT_INFLATE_RATIO_MAX', 200, 2, 1_000_000),
    rateLimitPerMinute: int(env, 'VERDICT_RATE_LIMIT', 1200, 0, 1e9),
    requestTimeoutMs: int(env, 'VERDICT_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000),
    concurrency: int(env, 'VERDICT_CONCURRENCY', Math.max(1, availableParallelism() - 1), 1, 1_024),
    leaseMs: int(env, 'VERDICT_LEASE_MS', 30_000, 200, 3_600_000),
    reconcileMs: int(env, 'VERDICT_RECONCILE_MS', 10_000, 100, 3_600_000),
    queueName: env.VERDICT_QUEUE ?? DEFAULT_QUEUE_NAME,
    queuePrefix: env.VERDICT_QUEUE_PREFIX ?? DEFAULT_PREFIX,
    maxAttempts: int(env, 'VERDICT_MAX_ATTEMPTS', 3, 1, 100),
    splitThresholdOps: int(env, 'VERDICT_SPLIT_OPS', 200_000, 1, 1e12),
    splitPartsMax: int(env, 'VERDICT_SPLIT_PARTS', 8, 2, 1_024),
    checkTimeLimitMs: int(env, 'VERDICT_CHECK_TIME_LIMIT_MS', 600_000, 100, 86_400_000),
    logLevel: env.VERDICT_LOG === 'false' || env.VERDICT_LOG === 'off' ? false : (env.VERDICT_LOG ?? 'info'),
    targets: readTargets(env.VERDICT_TARGETS),
    ...overrides,
  };
  for (const name of ['queueName', 'queuePrefix'] as const) {
    if (!/^[A-Za-z0-9_.-]+$/.test(config[name])) throw new ApiError('VRD_ERR_CONFIG', `${name} may use letters, digits, '_', '.', '-' only`);
  }
  return config;
}

/** True when the service runs on its own embedded Postgres. */
export function isEmbedded(config: ServiceConfig): boolean {
  return config.databaseUrl === undefined;
}

/** `name=url,name=url`: names are short identifiers; each URL must be one `verdict test` accepts. */
function readTargets(raw: string | undefined): Record<string, string> {
  const targets: Record<string, string> = {};
  if (raw === undefined || raw.trim() === '') return targets;
  for (const entry of raw.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? '' : entry.slice(0, eq).trim();
    const url = entry.slice(eq + 1).trim();
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw new ApiError('VRD_ERR_CONFIG', `VERDICT_TARGETS: expected name=url entries with names of letters, digits, '_' or '-', got ${JSON.stringify(entry.slice(0, Math.max(eq, 0)) || entry.replace(/:\/\/.*$/, '://…'))}`);
    if (Object.hasOwn(targets, name)) throw new ApiError('VRD_ERR_CONFIG', `VERDICT_TARGETS: ${name} is given twice`);
    try {
      parseTarget(url);
    } catch (e) {
      throw new ApiError('VRD_ERR_CONFIG', `VERDICT_TARGETS: ${name}: ${(e as Error).message}`);
    }
    targets[name] = url;
  }
  return targets;
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s.trim() === '' ? undefined : s.trim();
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ApiError('VRD_ERR_CONFIG', `${name}=${JSON.stringify(raw)}: expected an integer from ${min} to ${max}`);
  return n;
}
