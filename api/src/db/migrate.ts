import { createHash, randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { ApiError } from '../errors.js';

/** prisma/migrations, from both src/ (tsx) and dist/ (node). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations', import.meta.url));

/** The advisory lock Prisma's migrate takes, so our start and `prisma migrate deploy` exclude each other. */
const PRISMA_MIGRATE_LOCK = 72707369;

/** `_prisma_migrations` exactly as Prisma's schema engine creates it on Postgres. */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  name: string;
  sql: string;
  /** SHA-256 of the file, hex: what Prisma stores in `checksum`. */
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  /** Applied earlier but changed on disk since (Prisma warns about these too). */
  modified: string[];
}

/**
 * Applies the pending migrations of prisma/migrations in name order, as `prisma migrate deploy`
 * does, because Prisma's CLI cannot fetch its schema engine on these machines. Each migration is
 * recorded in `_prisma_migrations` the way Prisma records it (id, checksum, started and finished
 * times, one applied step), so Prisma's own tooling sees an ordinary history wherever it runs.
 * Unlike Prisma, each script runs in a transaction: a failed migration leaves nothing half done
 * (its row stays, unfinished, with the error in `logs`, and start-up refuses until it is resolved).
 */
export async function applyMigrations(pool: pg.Pool, dir: string = MIGRATIONS_DIR): Promise<MigrateResult> {
  const files = await readMigrations(dir);
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const rows = (await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null; logs: string | null }>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at, logs FROM "_prisma_migrations" ORDER BY started_at',
      )).rows;
      const result: MigrateResult = { applied: [], modified: [] };
      for (const file of files) {
        const mine = rows.filter((r) => r.migration_name === file.name && r.rolled_back_at === null);
        const failed = mine.find((r) => r.finished_at === null);
        if (failed !== undefined) {
          throw new ApiError('VRD_ERR_DB_MIGRATION', `migration ${file.name} failed earlier and was not resolved (${failed.logs ?? 'no log'}); fix the database, then mark the row rolled back`);
        }
        if (mine.length > 0) {
          if (!mine.some((r) => r.checksum === file.checksum)) result.modified.push(file.name);
          continue;
        }
        await applyOne(client, file);
        result.applied.push(file.name);
      }
      return result;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK]);
    }
  } finally {
    client.release();
  }
}

export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    const bytes = await readFile(join(dir, name, 'migration.sql'));
    files.push({ name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') });
  }
  return files;
}

async function applyOne(client: pg.PoolClient, file: MigrationFile): Promise<void> {
  const id = randomUUID();
  await client.query(
    'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
    [id, file.checksum, file.name],
  );
  try {
    await client.query('BEGIN');
    await client.query(file.sql);
    await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK');
    const message = e instanceof Error ? e.message : String(e);
    await client.query('UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1', [id, message]);
    throw new ApiError('VRD_ERR_DB_MIGRATION', `${file.name}: ${message}`);
  }
}
