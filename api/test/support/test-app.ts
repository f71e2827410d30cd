import type { FastifyInstance } from 'fastify';
import { loadConfig, type ServiceConfig } from '../../src/config.js';
import { TokenStore, type Scope } from '../../src/auth/token-store.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { buildApp } from '../../src/http/app.js';
import type { AppDeps } from '../../src/http/app-deps.js';
import { HttpMetrics } from '../../src/http/metrics-registry.js';
import { ReportCache } from '../../src/http/report-cache.js';
import { createExecutor } from '../../src/jobs/engine.js';
import { startDispatch, type JobDispatch } from '../../src/jobs/job-dispatch.js';
import { JobEventHub } from '../../src/jobs/job-events.js';
import { runnerLog } from '../../src/runner-log.js';
import { PrismaJobStore } from '../../src/store/prisma-job-store.js';
import { testDatabase, type Backend } from './services.js';

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  deps: AppDeps;
  dispatch: JobDispatch;
  /** Creates a token and returns its `Authorization` header value. */
  token(scopes: Scope[], team?: string | null): Promise<string>;
  close(): Promise<void>;
}

/**
 * The API on a fresh database (Postgres, or the embedded PGlite) with the in-process runner (or
 * BullMQ when the config names Redis), for `app.inject()` tests. No port is opened.
 */
export async function testApp(label: string, overrides: Partial<ServiceConfig> = {}, backend: Backend = 'postgres'): Promise<TestApp> {
  const database = await testDatabase(label, backend);
  const config = loadConfig({}, { databaseUrl: database.databaseUrl, dataDir: database.dataDir, logLevel: false, leaseMs: 2_000, reconcileMs: 500, concurrency: 2, ...overrides });
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const tokens = new TokenStore(db.prisma);
  const events = new JobEventHub();
  const deps: AppDeps = {
    config,
    prisma: db.prisma,
    tokens,
    events,
    metrics: new HttpMetrics(),
    reports: new ReportCache(),
    version: 'test',
    dispatch: undefined as unknown as JobDispatch,
  };
  const app = await buildApp(deps);
  const dispatch = await startDispatch({
    config,
    store: new PrismaJobStore(db.prisma),
    execute: createExecutor(db.prisma, { checkTimeLimitMs: config.checkTimeLimitMs, splitThresholdOps: config.splitThresholdOps, splitPartsMax: config.splitPartsMax }),
    events,
    log: runnerLog(app.log),
    workerId: `test-${label}`,
  });
  deps.dispatch = dispatch;
  return {
    app,
    db,
    deps,
    dispatch,
    async token(scopes, team = null) {
      const created = await tokens.create({ name: `test ${scopes.join('+')}`, scopes, team });
      return `Bearer ${created.secret}`;
    },
    async close() {
      await app.close();
      await dispatch.close();
      await db.close();
      await database.drop();
    },
  };
}

/** Polls a job until it is finished (or the time runs out). */
export async function waitForJob(app: FastifyInstance, auth: string, id: string, timeoutMs = 30_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await app.inject({ method: 'GET', url: `/jobs/${id}`, headers: { authorization: auth } });
    const job = res.json() as Record<string, unknown>;
    if (['done', 'failed', 'cancelled'].includes(String(job.status))) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${String(job.status)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
