import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { ApiError } from '../errors.js';

/** Postgres (PGlite, compiled to WebAssembly) served on a loopback socket. */
export interface EmbeddedPostgres {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres`. */
  url: string;
  /** Where the database files are. */
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Starts the embedded database of `npm start`: PGlite with its files under `dir`, served over
 * the Postgres wire protocol on 127.0.0.1 by @electric-sql/pglite-socket, so the service talks to
 * it exactly as to a real Postgres (same migrations, same Prisma client). PGlite runs one
 * connection at a time: the pool in front of it must have `max: 1`. A pid file keeps a second
 * process from opening the same files.
 */
export async function startEmbeddedPostgres(dir: string): Promise<EmbeddedPostgres> {
  await mkdir(dir, { recursive: true });
  const lock = join(dir, 'verdict.pid');
  await takeLock(lock, dir);
  let db: PGlite | undefined;
  try {
    db = await PGlite.create(join(dir, 'pg'));
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
    await server.start();
    const url = `postgresql://postgres@${server.getServerConn()}/postgres`;
    const opened = db;
    return {
      url,
      dataDir: dir,
      async stop() {
        await server.stop();
        await opened.close();
        await rm(lock, { force: true });
      },
    };
  } catch (e) {
    await db?.close().catch(() => undefined);
    await rm(lock, { force: true });
    throw e;
  }
}

async function takeLock(lock: string, dir: string): Promise<void> {
  try {
    await writeFile(lock, `${process.pid}\n`, { flag: 'wx' });
    return;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const holder = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
  if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
    throw new ApiError('VRD_ERR_CONFIG', `the embedded database in ${dir} is in use by process ${holder}; stop it or set VERDICT_DATA_DIR`);
  }
  // The previous holder is gone (killed, crashed): its lock is stale.
  await writeFile(lock, `${process.pid}\n`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
