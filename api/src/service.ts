import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import { ensureAdminToken } from './auth/admin-token.js';
import { isEmbedded, type ServiceConfig } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import type { JobDispatch } from './jobs/job-dispatch.js';
import { VERSION } from './version.js';
import { wireService, type WiredService } from './wire-service.js';

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
  let wired: WiredService | undefined;
  try {
    wired = await wireService(config, db, { workerId: `api@${hostname()}:${process.pid}`, version: VERSION, ...(redis !== undefined ? { redis } : {}) });
    const { app, dispatch } = wired;
    const adminToken = await ensureAdminToken(wired.deps.tokens, config.dataDir);
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
    await wired?.app.close().catch(() => undefined);
    await wired?.dispatch.close().catch(() => undefined);
    redis?.disconnect();
    await db.close().catch(() => undefined);
    throw e;
  }
}
