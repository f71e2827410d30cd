import type { FastifyInstance } from 'fastify';
import { TokenStore } from './auth/token-store.js';
import type { ServiceConfig } from './config.js';
import type { Database } from './db/database.js';
import { buildApp } from './http/app.js';
import type { AppDeps } from './http/app-deps.js';
import { HttpMetrics } from './http/metrics-registry.js';
import { ReportCache } from './http/report-cache.js';
import { createExecutor } from './jobs/engine.js';
import { createThreadedExecutor } from './jobs/threaded-executor.js';
import { startDispatch, type JobDispatch } from './jobs/job-dispatch.js';
import { JobEventHub } from './jobs/job-events.js';
import { runnerLog } from './runner-log.js';
import { PrismaJobStore } from './store/prisma-job-store.js';

/** The API and what runs its jobs, over an open database: what the service and its tests share. */
export interface WiredService {
  app: FastifyInstance;
  dispatch: JobDispatch;
  deps: AppDeps;
}

export async function wireService(config: ServiceConfig, db: Database, options: { workerId: string; version: string; redis?: unknown }): Promise<WiredService> {
  const events = new JobEventHub();
  const deps: AppDeps = {
    config,
    prisma: db.prisma,
    tokens: new TokenStore(db.prisma),
    events,
    metrics: new HttpMetrics(),
    reports: new ReportCache(),
    version: options.version,
    // Set below: the runner writes to the app's logger, so the app comes first.
    dispatch: undefined as unknown as JobDispatch,
    ...(options.redis !== undefined ? { redis: options.redis } : {}),
  };
  const app = await buildApp(deps);
  try {
    deps.dispatch = await startDispatch({
      config,
      store: new PrismaJobStore(db.prisma),
      // Without Redis the jobs run here: on worker threads, so that the API keeps answering.
      execute: config.redisUrl === undefined ? createThreadedExecutor(db.prisma, config) : createExecutor(db.prisma, config),
      events,
      log: runnerLog(app.log),
      workerId: options.workerId,
    });
  } catch (e) {
    await app.close();
    throw e;
  }
  return { app, dispatch: deps.dispatch, deps };
}
