import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

/** The machine's Postgres and Redis, as CI provides them. */
export const POSTGRES_ADMIN_URL = process.env.VERDICT_TEST_POSTGRES ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.VERDICT_TEST_REDIS ?? 'redis://127.0.0.1:6379';
export const MARIADB_URL = process.env.VERDICT_TEST_MARIADB ?? 'mysql://root@127.0.0.1:3306/test';

/**
 * Is a service the integration tests need reachable? In CI (VERDICT_CI=1) a missing service is
 * a failure; on a developer machine the tests that need it are skipped, loudly.
 */
export async function requireService(name: 'postgres' | 'redis' | 'redis-server' | 'mariadb'): Promise<boolean> {
  const ok = name === 'postgres' ? await postgresUp() : name === 'redis' ? await redisUp() : name === 'mariadb' ? await mariadbUp() : await redisServerInstalled();
  if (ok) return true;
  const what = { postgres: `Postgres at ${POSTGRES_ADMIN_URL}`, redis: `Redis at ${REDIS_URL}`, 'redis-server': 'the redis-server binary', mariadb: `MariaDB at ${MARIADB_URL}` }[name];
  if (process.env.VERDICT_CI === '1') throw new Error(`${what} is not available, and VERDICT_CI=1: integration tests must run in CI`);
  console.warn(`\n*** SKIPPING tests that need ${what}: it is not available on this machine ***\n`);
  return false;
}

async function postgresUp(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redisUp(): Promise<boolean> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2_000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function mariadbUp(): Promise<boolean> {
  const mysql = await import('mysql2/promise');
  const url = new URL(MARIADB_URL);
  try {
    const c = await mysql.createConnection({ host: url.hostname, port: Number(url.port || 3306), user: url.username || 'root', password: decodeURIComponent(url.password), connectTimeout: 2_000 });
    await c.query('SELECT 1');
    await c.end();
    return true;
  } catch {
    return false;
  }
}

async function redisServerInstalled(): Promise<boolean> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => execFile('redis-server', ['--version'], (e) => resolve(e === null)));
}

/** A fresh, empty database for one test file; `drop()` removes it. */
export async function freshDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `verdict_test_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

export type Backend = 'postgres' | 'embedded';

/**
 * The databases a test file runs against: the machine's Postgres (when there, and always in CI)
 * and the embedded PGlite that `npm start` uses.
 */
export async function databaseBackends(): Promise<Backend[]> {
  return (await requireService('postgres')) ? ['postgres', 'embedded'] : ['embedded'];
}

/**
 * Where a test's database lives: a fresh Postgres database, or a fresh data folder for the
 * embedded one (`databaseUrl` undefined, as in `npm start`). `drop()` removes either.
 */
export async function testDatabase(label: string, backend: Backend): Promise<{ databaseUrl: string | undefined; dataDir: string; drop(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), `verdict-test-${label}-`));
  if (backend === 'embedded') return { databaseUrl: undefined, dataDir, drop: () => rm(dataDir, { recursive: true, force: true }) };
  const fresh = await freshDatabase(label);
  return { databaseUrl: fresh.url, dataDir, drop: async () => { await fresh.drop(); await rm(dataDir, { recursive: true, force: true }); } };
}

/** A queue name and key prefix no other test uses. */
export function uniqueQueue(label: string): { queueName: string; queuePrefix: string } {
  const id = `${label}-${randomBytes(4).toString('hex')}`;
  return { queueName: `q-${id}`, queuePrefix: `vt-${id}` };
}
