import { join } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';
import { applyMigrations, type MigrateResult } from './migrate.js';
import { storedTextExtension } from './stored-text.js';

export interface DatabaseOptions {
  /** Real Postgres; absent → embedded PGlite under `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Connections to a real Postgres. Default 10 (the embedded one always gets 1). */
  poolMax?: number;
  /** Apply pending migrations first (the API does; workers may too: the migration lock serialises them). */
  migrate?: boolean;
}

/** The service's database: Prisma's engine-free client over a pg pool, migrated. */
export interface Database {
  prisma: PrismaClient;
  pool: pg.Pool;
  /** Set in embedded mode. */
  embedded: EmbeddedPostgres | undefined;
  migrations: MigrateResult;
  close(): Promise<void>;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const embedded = options.databaseUrl === undefined ? await startEmbeddedPostgres(join(options.dataDir, 'db')) : undefined;
  const connectionString = embedded?.url ?? options.databaseUrl!;
  // PGlite serves one connection at a time: a second pooled connection would only queue behind it.
  const pool = new pg.Pool({ connectionString, max: embedded !== undefined ? 1 : (options.poolMax ?? 10) });
  pool.on('error', () => undefined);
  try {
    const migrations = options.migrate === false ? { applied: [], modified: [] } : await applyMigrations(pool);
    // A query-only extension leaves every method's signature as it was, so the client keeps its type.
    const prisma = new PrismaClient({ adapter: new PrismaPg(pool) }).$extends(storedTextExtension) as unknown as PrismaClient;
    return {
      prisma,
      pool,
      embedded,
      migrations,
      async close() {
        await prisma.$disconnect();
        await pool.end();
        await embedded?.stop();
      },
    };
  } catch (e) {
    await pool.end().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw e;
  }
}
