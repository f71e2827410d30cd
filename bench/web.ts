/**
 * The web pages' speed (issue 15's targets: a job page opens in under 600 ms at 100,000
 * operations, under 2 s at 1,000,000), measured as a user meets them: the server in its own fresh
 * process on a fresh Postgres database, the stored history read in chunks, and, when Debian's
 * Chromium is here, the page loaded in it until its load event (stylesheet and script run).
 * Printed, not asserted; the browser tests assert the budgets.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { openDatabase } from '../api/src/db/database.js';
import { storeBigHistory } from '../api/test/support/big-history.js';
import { spawnTs, type Child } from '../api/test/support/processes.js';
import { POSTGRES_ADMIN_URL, freshDatabase } from '../api/test/support/services.js';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../api/test/support/web-browser.js';

const SIZES = [{ operations: 100_000, targetMs: 600 }, { operations: 1_000_000, targetMs: 2_000 }];
const LOADS = 5;
const DATA_DIR = `/tmp/verdict-bench-web-${process.pid}`;

export async function bench(): Promise<void> {
  const database = await freshDatabase('bench_web').catch((e: unknown) => {
    console.log(`skipped: the web bench needs Postgres at ${POSTGRES_ADMIN_URL} (${String(e)})`);
    return undefined;
  });
  if (database === undefined) return;
  const children: Child[] = [];
  const db = await openDatabase({ databaseUrl: database.url, dataDir: DATA_DIR });
  try {
    const jobs: { operations: number; targetMs: number; id: string }[] = [];
    for (const size of SIZES) {
      const started = performance.now();
      const id = (await db.prisma.job.create({ data: { kind: 'check', status: 'done', outcome: 'violated', attempts: 1, model: 'kv', spec: { source: `big-${size.operations}.jsonl`, model: 'kv' }, finishedAt: new Date() } })).id;
      await storeBigHistory(db.prisma, id, size.operations);
      console.log(`stored a ${size.operations.toLocaleString('en')}-operation history in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      jobs.push({ ...size, id });
    }
    const server = spawnTs('api/src/cli.ts', ['serve', '--port', '0'], { DATABASE_URL: database.url, REDIS_URL: '', VERDICT_RATE_LIMIT: '0', VERDICT_LOG: 'warn', VERDICT_DATA_DIR: DATA_DIR });
    children.push(server);
    const url = (await server.waitFor(/Verdict listening on (\S+)/))[1]!;
    const token = (await server.waitFor(/admin token \(written to \S+, mode 0600\): (vrd_\S+)/))[1]!;
    const headers = { authorization: `Bearer ${token}` };
    // One request to another page first: a freshly started server's first answer (JIT, the first queries) is not the page's.
    await (await fetch(`${url}/ui`, { headers })).text();
    console.log(`job page over HTTP (GET /ui/jobs/:id with a token; the server in its own process, warmed by one GET /ui; first load, then ${LOADS} more):`);
    for (const job of jobs) {
      const times: number[] = [];
      for (let i = 0; i <= LOADS; i++) {
        const started = performance.now();
        const res = await fetch(`${url}/ui/jobs/${job.id}`, { headers });
        const body = await res.text();
        if (res.status !== 200 || !body.includes('rect class="ok hl bl"')) throw new Error(`page of job ${job.id}: ${res.status}`);
        times.push(performance.now() - started);
      }
      line(job, times);
    }
    if (!existsSync(CHROMIUM_PATH)) {
      console.log(`in Chromium: skipped, no ${CHROMIUM_PATH}`);
      return;
    }
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, extraHTTPHeaders: headers });
      console.log(`job page in Chromium until its load event (${LOADS + 1} loads):`);
      for (const job of jobs) {
        const times: number[] = [];
        for (let i = 0; i <= LOADS; i++) {
          const started = performance.now();
          await page.goto(`${url}/ui/jobs/${job.id}`, { waitUntil: 'load' });
          times.push(performance.now() - started);
        }
        line(job, times);
      }
    } finally {
      await browser.close();
    }
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await db.close();
    await database.drop();
    await rm(DATA_DIR, { recursive: true, force: true });
  }
}

function line(job: { operations: number; targetMs: number }, times: number[]): void {
  const warm = [...times.slice(1)].sort((a, b) => a - b);
  const median = warm[Math.floor(warm.length / 2)]!;
  console.log(`  ${job.operations.toLocaleString('en')} operations: first ${times[0]!.toFixed(0)} ms, then median ${median.toFixed(0)} ms, worst ${warm.at(-1)!.toFixed(0)} ms (target < ${job.targetMs.toLocaleString('en')} ms: ${times[0]! < job.targetMs && warm.at(-1)! < job.targetMs ? 'met' : 'MISSED'})`);
}
