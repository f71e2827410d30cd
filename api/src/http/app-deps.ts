import type { ServiceConfig } from '../config.js';
import type { TokenStore } from '../auth/token-store.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { JobDispatch } from '../jobs/job-dispatch.js';
import type { JobEventHub } from '../jobs/job-events.js';
import type { HttpMetrics } from './metrics-registry.js';
import type { ReportCache } from './report-cache.js';

/** What the routes use; the service builds it once, tests build it around a test database. */
export interface AppDeps {
  config: ServiceConfig;
  prisma: PrismaClient;
  tokens: TokenStore;
  dispatch: JobDispatch;
  events: JobEventHub;
  metrics: HttpMetrics;
  reports: ReportCache;
  version: string;
  /** An ioredis client shared by the rate limiter across API processes (Redis mode). */
  redis?: unknown;
}
