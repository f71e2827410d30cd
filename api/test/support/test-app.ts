import type { FastifyInstance } from 'fastify';
import { loadConfig, type ServiceConfig } from '../../src/config.js';
import type { Scope } from '../../src/auth/token-store.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import type { AppDeps } from '../../src/http/app-deps.js';
import type { JobDispatch } from '../../src/jobs/job-dispatch.js';
import { wireService } from '../../src/wire-service.js';
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
  const { app, dispatch, deps } = await wireService(config, db, { workerId: `test-${label}`, version: 'test' });
  return {
    app,
    db,
    deps,
    dispatch,
    async token(scopes, team = null) {
      const created = await deps.tokens.create({ name: `test ${scopes.join('+')}`, scopes, team });
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
