import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpus } from './support/http.js';
import { spawnTs, type Child } from './support/processes.js';

/** No DATABASE_URL, no REDIS_URL: what `npm start` does on a fresh machine. */
const EMBEDDED_ENV = { DATABASE_URL: '', REDIS_URL: '', VERDICT_LOG: 'warn', HOST: '0.0.0.0' };
const BANNER = /Verdict listening on (http:\/\/[^\s]+)/;

describe('embedded mode: npm start on a fresh data folder', () => {
  const children: Child[] = [];
  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop('SIGKILL')));
  });
  const serve = (dataDir: string): Child => {
    const child = spawnTs('api/src/cli.ts', ['serve', '--port', '0'], { ...EMBEDDED_ENV, VERDICT_DATA_DIR: dataDir });
    children.push(child);
    return child;
  };

  it('starts PGlite, writes the admin token (0600), listens on 127.0.0.1 only, checks a history, and keeps it across restarts', async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), 'verdict-embedded-')), 'data');
    const first = serve(dataDir);
    const [, url] = await first.waitFor(BANNER, 120_000);
    const [, tokenFile, token] = await first.waitFor(/admin token \(written to (\S+), mode 0600\): (vrd_\S+)/);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.output()).toContain(`embedded Postgres (PGlite), data in ${dataDir}`);
    expect(tokenFile).toBe(join(dataDir, 'admin-token'));
    expect((await readFile(tokenFile!, 'utf8')).trim()).toBe(token);
    expect((await stat(tokenFile!)).mode & 0o777).toBe(0o600);

    const auth = { authorization: `Bearer ${token}` };
    const submitted = await fetch(`${url}/jobs?model=cas-register&init=0`, { method: 'POST', headers: { ...auth, 'content-type': 'application/edn' }, body: corpus('knossos/cas-register/bad/cas-failure.edn') });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    let job: { status: string; outcome: string | null } = { status: 'queued', outcome: null };
    for (let i = 0; i < 300 && !['done', 'failed'].includes(job.status); i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await (await fetch(`${url}/jobs/${id}`, { headers: auth })).json()) as typeof job;
    }
    expect(job).toMatchObject({ status: 'done', outcome: 'violated' });

    // One process per data folder: PGlite's files must not be opened twice.
    const second = serve(dataDir);
    await second.waitFor(/in use by process \d+/, 60_000);
    await second.stop();

    await first.stop('SIGTERM');
    expect(first.process.exitCode).toBe(0);
    const again = serve(dataDir);
    const [, url2] = await again.waitFor(BANNER, 120_000);
    expect(again.output()).toContain(`admin token: in ${tokenFile} (created on first start)`);
    expect(again.output()).not.toMatch(/vrd_/);
    const listed = (await (await fetch(`${url2}/jobs`, { headers: auth })).json()) as { jobs: { id: string }[] };
    expect(listed.jobs.map((j) => j.id)).toEqual([id]);
    await again.stop('SIGTERM');
  }, 240_000);
});
