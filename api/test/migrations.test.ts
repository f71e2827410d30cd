import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.js';
import { MIGRATIONS_DIR, applyMigrations, readMigrations } from '../src/db/migrate.js';
import { $Enums } from '../src/generated/prisma/client.js';
import { databaseBackends, testDatabase } from './support/services.js';

const backends = await databaseBackends();

/** Postgres types the Prisma client expects for each Prisma scalar (as information_schema names them). */
const PG_TYPES: Record<string, string[]> = {
  String: ['text', 'uuid'],
  Int: ['integer'],
  BigInt: ['bigint'],
  DateTime: ['timestamp without time zone'],
  Json: ['jsonb'],
  Bytes: ['bytea'],
  Boolean: ['boolean'],
};

interface SchemaField { name: string; type: string; optional: boolean; list: boolean }

/** The fields of each model as schema.prisma declares them (names, types, `?` and `[]`). */
async function schemaFields(): Promise<Map<string, SchemaField[]>> {
  const text = await readFile(new URL('../../prisma/schema.prisma', import.meta.url), 'utf8');
  const models = new Map<string, SchemaField[]>();
  for (const m of text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const fields: SchemaField[] = [];
    for (const line of m[2]!.split('\n')) {
      const f = /^\s+(\w+)\s+(\w+)(\?|\[\])?/.exec(line);
      if (f !== null) fields.push({ name: f[1]!, type: f[2]!, optional: f[3] === '?', list: f[3] === '[]' });
    }
    models.set(m[1]!, fields);
  }
  return models;
}

describe.each(backends)('migrations (%s)', (backend) => {
  let db: Database;
  let url: string | undefined;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await testDatabase('migrations', backend);
    url = fresh.databaseUrl;
    drop = fresh.drop;
    db = await openDatabase(fresh);
  });
  afterAll(async () => {
    await db?.close();
    await drop?.();
  });

  it('records each applied migration in _prisma_migrations exactly as Prisma does', async () => {
    const files = await readMigrations();
    expect(db.migrations.applied).toEqual(files.map((f) => f.name));
    const rows = await db.pool.query('SELECT * FROM "_prisma_migrations" ORDER BY started_at');
    expect(rows.rows).toHaveLength(files.length);
    for (const [i, file] of files.entries()) {
      const row = rows.rows[i];
      const bytes = await readFile(join(MIGRATIONS_DIR, file.name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(row).toMatchObject({ migration_name: file.name, logs: null, rolled_back_at: null, applied_steps_count: 1 });
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    }
    const columns = await db.pool.query(`SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
      FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`);
    expect(columns.rows.map((c) => [c.column_name, c.data_type, c.character_maximum_length, c.is_nullable])).toEqual([
      ['id', 'character varying', 36, 'NO'],
      ['checksum', 'character varying', 64, 'NO'],
      ['finished_at', 'timestamp with time zone', null, 'YES'],
      ['migration_name', 'character varying', 255, 'NO'],
      ['logs', 'text', null, 'YES'],
      ['rolled_back_at', 'timestamp with time zone', null, 'YES'],
      ['started_at', 'timestamp with time zone', null, 'NO'],
      ['applied_steps_count', 'integer', null, 'NO'],
    ]);
    expect(await readFile(join(MIGRATIONS_DIR, 'migration_lock.toml'), 'utf8')).toContain('provider = "postgresql"');
  });

  // PGlite serves one connection: two processes starting at once is a real Postgres's problem.
  // Two processes at once only exist on a real Postgres: embedded PGlite serves one connection.
  if (backend === 'postgres') {
    it('applies nothing twice, also when two processes start at once', async () => {
      const pools = [new pg.Pool({ connectionString: url }), new pg.Pool({ connectionString: url })];
      const results = await Promise.all(pools.map((p) => applyMigrations(p)));
      await Promise.all(pools.map((p) => p.end()));
      expect(results).toEqual([{ applied: [], modified: [] }, { applied: [], modified: [] }]);
    });
  }

  it('notices a migration changed after it was applied', async () => {
    await db.pool.query(`UPDATE "_prisma_migrations" SET checksum = 'x' WHERE migration_name = (SELECT min(migration_name) FROM "_prisma_migrations")`);
    const result = await applyMigrations(db.pool);
    expect(result.modified).toHaveLength(1);
    const files = await readMigrations();
    await db.pool.query('UPDATE "_prisma_migrations" SET checksum = $1 WHERE migration_name = $2', [files[0]!.checksum, files[0]!.name]);
  });

  it('rolls a failed migration back, records its error, and refuses to start until it is resolved', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'verdict-migrations-'));
    await mkdir(join(dir, '20990101000000_broken'));
    await writeFile(join(dir, '20990101000000_broken', 'migration.sql'), 'CREATE TABLE half_done (id int);\nSELECT no_such_function();\n');
    await expect(applyMigrations(db.pool, dir)).rejects.toMatchObject({ code: 'VRD_ERR_DB_MIGRATION' });
    const row = (await db.pool.query(`SELECT * FROM "_prisma_migrations" WHERE migration_name = '20990101000000_broken'`)).rows[0];
    expect(row).toMatchObject({ finished_at: null, rolled_back_at: null, applied_steps_count: 0 });
    expect(row.logs).toContain('no_such_function');
    expect((await db.pool.query(`SELECT to_regclass('half_done') AS t`)).rows[0].t).toBeNull();
    await expect(applyMigrations(db.pool, dir)).rejects.toThrow(/failed earlier/);
    await db.pool.query(`UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '20990101000000_broken'`);
  });

  it('builds the database the generated client expects: every model, field, type, nullability and enum', async () => {
    const model = (db.prisma as unknown as { _runtimeDataModel: { models: Record<string, { dbName: string | null; fields: { name: string; kind: string; type: string; dbName?: string | null }[] }> } })._runtimeDataModel;
    const declared = await schemaFields();
    const columns = (await db.pool.query(`SELECT table_name, column_name, data_type, udt_name, is_nullable
      FROM information_schema.columns WHERE table_schema = 'public'`)).rows as { table_name: string; column_name: string; data_type: string; udt_name: string; is_nullable: string }[];
    const tables = new Set(columns.map((c) => c.table_name));
    expect(Object.keys(model.models).sort()).toEqual([...declared.keys()].sort());
    for (const [name, m] of Object.entries(model.models)) {
      const table = m.dbName ?? name;
      expect(tables.has(table), `table ${table}`).toBe(true);
      const scalars = m.fields.filter((f) => f.kind !== 'object');
      const inTable = columns.filter((c) => c.table_name === table);
      expect(inTable.map((c) => c.column_name).sort(), `columns of ${table}`).toEqual(scalars.map((f) => f.dbName ?? f.name).sort());
      for (const field of scalars) {
        const column = inTable.find((c) => c.column_name === (field.dbName ?? field.name))!;
        const spec = declared.get(name)!.find((f) => f.name === field.name)!;
        const where = `${table}.${column.column_name}`;
        expect(column.is_nullable, `${where} nullability`).toBe(spec.optional || spec.list ? 'YES' : 'NO');
        if (field.kind === 'enum') {
          expect(column.udt_name, where).toBe(spec.list ? `_${field.type}` : field.type);
        } else if (spec.list) {
          expect(column.data_type, where).toBe('ARRAY');
        } else {
          expect(PG_TYPES[field.type], `${where} is ${column.data_type}`).toContain(column.data_type);
        }
      }
    }
    const enums = (await db.pool.query(`SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`)).rows as { typname: string; labels: string[] | string }[];
    const generated = Object.fromEntries(Object.entries($Enums).map(([k, v]) => [k, Object.values(v as Record<string, string>)]));
    const inDb = Object.fromEntries(enums.map((e) => [e.typname, Array.isArray(e.labels) ? e.labels : e.labels.replace(/[{}]/g, '').split(',')]));
    expect(inDb).toEqual(generated);
  });

  it('has the indexes and foreign keys the schema declares, named as Prisma names them', async () => {
    const indexes = (await db.pool.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`)).rows.map((r) => r.indexname as string).sort();
    expect(indexes).toEqual([
      'anomalies_job_id_idx', 'anomalies_level_seq_idx', 'anomalies_pkey', 'anomalies_report_id_idx', 'anomalies_seq_key', 'anomalies_type_seq_idx',
      'api_tokens_hash_key', 'api_tokens_pkey',
      'histories_job_id_key', 'histories_pkey', 'history_chunks_pkey',
      'jobs_parent_id_idx', 'jobs_pkey', 'jobs_seq_key', 'jobs_status_seq_idx', 'jobs_team_seq_idx',
      'reports_job_id_key', 'reports_pkey',
    ]);
    const fks = (await db.pool.query(`SELECT conname, confdeltype FROM pg_constraint WHERE contype = 'f' ORDER BY conname`)).rows;
    expect(fks.map((r) => `${r.conname}:${r.confdeltype}`)).toEqual([
      'anomalies_job_id_fkey:c', 'anomalies_report_id_fkey:c', 'histories_job_id_fkey:c', 'history_chunks_history_id_fkey:c',
      'jobs_parent_id_fkey:c', 'jobs_submitted_by_fkey:n', 'reports_job_id_fkey:c',
    ]);
  });

  it('stores and reads every model through the client, and deleting a job deletes what hangs off it', async () => {
    const p = db.prisma;
    const token = await p.apiToken.create({ data: { name: 'ci', team: 'red', scopes: ['submit', 'read'], hash: 'h-every-model', prefix: 'vrd_abcdefgh' } });
    const parent = await p.job.create({ data: { kind: 'check', spec: { model: 'kv' }, team: 'red', submittedBy: token.id, partsTotal: 1 } });
    const job = await p.job.create({ data: { kind: 'check', spec: {}, parentId: parent.id, partIndex: 0, progress: { phase: 'x' }, error: { code: 'c', message: 'm' } } });
    const history = await p.history.create({ data: { jobId: job.id, format: 'edn', events: 2, bytes: 10n, storedBytes: 5n } });
    await p.historyChunk.create({ data: { historyId: history.id, seq: 0, firstLine: 1, lines: 2, data: new Uint8Array([1, 2, 3]) } });
    const report = await p.report.create({ data: { jobId: job.id, kind: 'single-object', outcome: 'violated', levels: [{ level: 'strong', status: 'violated' }], summary: 's', body: { version: 1 }, elapsedMs: 3 } });
    await p.anomaly.create({ data: { jobId: job.id, reportId: report.id, category: 'isolation', type: 'G1a', level: 'read-committed', rulesOut: ['read-committed', 'serializable'], sentence: 's', witness: { t: 1 } } });
    const read = await p.job.findUniqueOrThrow({ where: { id: job.id }, include: { parent: { include: { submitter: true } }, history: { include: { chunks: true } }, report: true, anomalies: true } });
    expect(read.parent?.submitter?.scopes).toEqual(['submit', 'read']);
    expect(read.history?.bytes).toBe(10n);
    expect([...read.history!.chunks[0]!.data]).toEqual([1, 2, 3]);
    expect(read.report?.outcome).toBe('violated');
    expect(read.anomalies[0]?.rulesOut).toEqual(['read-committed', 'serializable']);
    await p.apiToken.delete({ where: { id: token.id } });
    expect((await p.job.findUniqueOrThrow({ where: { id: parent.id } })).submittedBy).toBeNull();
    await p.job.delete({ where: { id: parent.id } });
    expect(await Promise.all([p.job.count(), p.history.count(), p.historyChunk.count(), p.report.count(), p.anomaly.count()])).toEqual([0, 0, 0, 0, 0]);
  });
});
