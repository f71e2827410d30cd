import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import { ensureAdminToken } from './auth/admin-token.js';
import { TokenStore } from './auth/token-store.js';
import { isEmbedded, type ServiceConfig } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { buildApp } from './http/app.js';
import type { AppDeps } from './http/app-deps.js';
import { HttpMetrics } from './http/metrics-registry.js';
import { ReportCache } from './http/report-cache.js';
import { createExecutor } from './jobs/engine.js';
import { startDispatch, type JobDispatch } from './jobs/job-dispatch.js';
import { JobEventHub } from './jobs/job-events.js';
import { runnerLog } from './runner-log.js';
import { PrismaJobStore } from './store/prisma-job-store.js';
import { VERSION } from './version.js';

/** A running service: the API, its database, and whatever runs its jobs. */
export interface Service {
  app: FastifyInstance;
  db: Database;
  dispatch: JobDispatch;
  /** `http://host:port` once listening. */
  url: string;
  /** Set on first start: the admin token created, and the file it was written to. */
  adminToken: { file: string; secret?: string };
  close(): Promise<void>;
}

/**
 * Starts everything `npm start` needs: the database (embedded PGlite unless DATABASE_URL),
 * migrations, the job runner (in-process unless REDIS_URL, then BullMQ plus the reconciler),
 * the admin token on first start, and the HTTP API. Embedded mode listens on 127.0.0.1 only.
 */
export async function startService(config: ServiceConfig, options: { listen?: boolean } = {}): Promise<Service> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, migrate: true });
  const redis = config.redisUrl === undefined ? undefined : new Redis(config.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false });
  redis?.on('error', () => undefined);
  let dispatch: JobDispatch | undefined;
  let app: FastifyInstance | undefined;
  try {
    const tokens = new TokenStore(db.prisma);
    const adminToken = await ensureAdminToken(tokens, config.dataDir);
    const events = new JobEventHub();
    const deps: AppDeps = {
      config,
      prisma: db.prisma,
      tokens,
      events,
      metrics: new HttpMetrics(),
      reports: new ReportCache(),
      version: VERSION,
      // Set below, once the app's logger exists for the runner to write to.
      dispatch: undefined as unknown as JobDispatch,
      ...(redis !== undefined ? { redis } : {}),
    };
    app = await buildApp(deps);
    dispatch = await startDispatch({
      config,
      store: new PrismaJobStore(db.prisma),
      execute: createExecutor(db.prisma, { checkTimeLimitMs: config.checkTimeLimitMs, splitThresholdOps: config.splitThresholdOps, splitPartsMax: config.splitPartsMax }),
      events,
      log: runnerLog(app.log),
      workerId: `api@${hostname()}:${process.pid}`,
    });
    deps.dispatch = dispatch;
    const host = isEmbedded(config) ? '127.0.0.1' : config.host;
    if (isEmbedded(config) && config.host !== '127.0.0.1') app.log.warn({ host: config.host }, 'embedded mode listens on 127.0.0.1 only');
    let url = '';
    if (options.listen !== false) {
      await app.listen({ host, port: config.port });
      const address = app.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : config.port;
      url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    }
    const started = { app, db, dispatch, url, adminToken };
    return {
      ...started,
      async close() {
        await started.app.close();
        await started.dispatch.close();
        await redis?.quit().catch(() => undefined);
        await db.close();
      },
    };
  } catch (e) {
    await app?.close().catch(() => undefined);
    await dispatch?.close().catch(() => undefined);
    redis?.disconnect();
    await db.close().catch(() => undefined);
    throw e;
  }
}
