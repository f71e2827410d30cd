import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyFromOps, type Op, type OperationView, type Report } from '@verdict/checker';
import type { PrismaClient } from '../src/generated/prisma/client.js';
import { writeHistory } from '../src/store/history-store.js';
import { selectView } from '../src/web/timeline-view.js';
import { WINDOW_POSITIONS_MAX, chooseWindow, extendWindow, loadTimeline, locateOperations } from '../src/web/timeline-window.js';
import { requireService } from './support/services.js';
import { testApp, type TestApp } from './support/test-app.js';
import { page, signIn } from './support/web-fixtures.js';

const pgUp = await requireService('postgres');

/** 60,000 writes by 5 processes, one after another: 120,000 events, several chunks. */
const OPERATIONS = 60_000;

function bigHistoryOps(): Omit<Op, 'index'>[] {
  const ops: Omit<Op, 'index'>[] = [];
  for (let i = 0; i < OPERATIONS; i++) {
    ops.push({ process: i % 5, type: 'invoke', f: 'write', value: i }, { process: i % 5, type: 'ok', f: 'write', value: i });
  }
  return ops;
}

/** Operation `i` of the big history as a report shows it (invoked at 2i, completed at 2i+1). */
function view(i: number): OperationView {
  return { id: i, process: i % 5, f: 'write', input: i, output: i, status: 'ok', call: 2 * i, ret: 2 * i + 1, description: `write ${i}` };
}

describe('the timeline window', () => {
  it('holds the whole focus, padded, when it fits; else centres on the first focus operation', () => {
    expect(chooseWindow([], 10)).toEqual({ from: 0, to: 10, clipped: false });
    expect(chooseWindow([], 10_000)).toEqual({ from: 0, to: WINDOW_POSITIONS_MAX - 1, clipped: false });
    expect(chooseWindow([{ process: 1, call: 100, ret: 103 }, { process: 2, call: 120, ret: null }], 1_000)).toEqual({ from: 94, to: 126, clipped: false });
    expect(chooseWindow([{ process: 1, call: 2, ret: 3 }], 4)).toEqual({ from: 0, to: 4, clipped: false });
    const wide = chooseWindow([{ process: 1, call: 5_000, ret: 5_001 }, { process: 2, call: 10, ret: 11 }], 9_999);
    expect(wide).toEqual({ from: 5_000 - WINDOW_POSITIONS_MAX / 2, to: 5_000 + WINDOW_POSITIONS_MAX / 2 - 1, clipped: true });
    expect(chooseWindow([{ process: 1, call: 9_990, ret: 9_991 }, { process: 2, call: 10, ret: 11 }], 9_999)).toEqual({ from: 10_000 - WINDOW_POSITIONS_MAX, to: 9_999, clipped: true });
  });
});

describe('the timeline window grown towards the steps before the witness', () => {
  it('takes the nearest steps first, and never grows past WINDOW_POSITIONS_MAX', () => {
    const step = (call: number) => ({ process: 0, call, ret: call + 1 });
    expect(extendWindow({ from: 1_000, to: 1_100 }, [step(990), step(950)], 5_000)).toEqual({ from: 948, to: 1_100 });
    // The far step would make the window too wide: it is left out, the near one is taken.
    expect(extendWindow({ from: 1_000, to: 1_100 }, [step(200), step(980)], 5_000)).toEqual({ from: 978, to: 1_100 });
    expect(extendWindow({ from: 0, to: 10 }, [step(4_000)], 5_000)).toEqual({ from: 0, to: 10 });
    expect(extendWindow({ from: 10, to: 20 }, [step(30)], 25)).toEqual({ from: 10, to: 25 });
  });
});

describe('the timeline views', () => {
  const ops = historyFromOps([
    { process: 0, type: 'invoke', f: 'write', value: ['a', 1] }, { process: 0, type: 'ok', f: 'write', value: ['a', 1] },
    { process: 1, type: 'invoke', f: 'write', value: ['b', 2] }, { process: 1, type: 'ok', f: 'write', value: ['b', 2] },
    { process: 2, type: 'invoke', f: 'read', value: ['a', null] }, { process: 2, type: 'ok', f: 'read', value: ['a', 1] },
    { process: 3, type: 'invoke', f: 'read', value: 'not a kv op' }, { process: 3, type: 'ok', f: 'read', value: 'not a kv op' },
  ] as Omit<Op, 'index'>[]).operations;
  const keyA = { model: 'kv', key: 'a' };

  it('splits keys as the model does, and narrows to the witness\'s processes', () => {
    expect(selectView(ops, 'focus', keyA, new Set(['2'])).operations.map((o) => o.id)).toEqual([2]);
    expect(selectView(ops, 'focus', keyA, new Set(['2']))).toMatchObject({ hidden: 3, description: 'key "a" on the witness\'s 1 process', keyApplied: true });
    expect(selectView(ops, 'key', keyA, new Set(['2'])).operations.map((o) => o.id)).toEqual([0, 2]);
    expect(selectView(ops, 'all', keyA, new Set(['2'])).operations).toHaveLength(4);
  });

  it('leaves every key in when the model does not split', () => {
    expect(selectView(ops, 'focus', { model: 'register', key: 'a' }, new Set(['0', '1']))).toMatchObject({ hidden: 2, description: 'the witness\'s 2 processes', keyApplied: false });
    expect(selectView(ops, 'key', { model: 'no-such-model', key: 'a' }, new Set()).operations).toHaveLength(4);
  });
});

describe.runIf(pgUp)('the timeline of a large stored history', () => {
  let t: TestApp;
  let jobId: string;
  let bombId: string;

  beforeAll(async () => {
    t = await testApp('web_timeline');
    jobId = (await t.db.prisma.job.create({ data: { kind: 'check', status: 'done', outcome: 'violated', attempts: 1, spec: { source: 'big.jsonl' }, finishedAt: new Date() } })).id;
    await writeHistory(t.db.prisma, jobId, historyFromOps(bigHistoryOps(), { format: 'jsonl' }), { format: 'jsonl', source: 'big.jsonl' });
    // A report whose counterexample lies deep in the history, with one witness operation far away.
    const witness = [view(40_000), view(40_003), view(1_000)];
    const report = {
      version: 1, kind: 'single-object', model: 'register', elapsedMs: 1,
      history: { events: 2 * OPERATIONS, operations: OPERATIONS, processes: 5, faults: 0 },
      verdict: { outcome: 'violated', summary: 'not linearizable' },
      linearizability: {
        outcome: 'illegal', model: 'register', operations: OPERATIONS, partitions: [{ key: '', outcome: 'illegal', operations: OPERATIONS, steps: 1, cacheEntries: 1, elapsedMs: 1 }],
        stats: { steps: 1, elapsedMs: 1, cacheEntries: 1, peakCacheBytes: 0, threads: 1 },
        counterexample: { partition: '', initialState: 'nil', prefix: [], prefixLength: 0, blocked: view(40_003), finalPaths: [], witness: { operations: witness, minimal: true, explanation: 'a made-up witness' } },
      },
    } as unknown as Report;
    await t.db.prisma.report.create({ data: { jobId, kind: 'single-object', outcome: 'violated', levels: [], summary: 'x', body: report as object, elapsedMs: 1 } });

    // One chunk that expands far past what a page may read.
    bombId = (await t.db.prisma.job.create({ data: { kind: 'check', status: 'done', spec: {} } })).id;
    const history = await t.db.prisma.history.create({ data: { jobId: bombId, format: 'jsonl', events: 1, bytes: 20n << 20n, storedBytes: 1n } });
    await t.db.prisma.historyChunk.create({ data: { historyId: history.id, seq: 0, firstLine: 1, lines: 1, data: gzipSync(Buffer.alloc(20 << 20, 0x20)) } });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('reads only the chunks around the witness, never the whole history', async () => {
    const chunks = await t.db.prisma.historyChunk.findMany({ where: { history: { jobId } }, select: { seq: true, firstLine: true, lines: true }, orderBy: { seq: 'asc' } });
    expect(chunks.length).toBeGreaterThanOrEqual(6);
    const read: number[] = [];
    const prisma = t.db.prisma;
    const counting = chunkCounting(prisma, read);
    const focus = [view(40_003), view(40_000), view(1_000)].map((o) => ({ id: o.id, process: o.process, call: o.call, ret: o.ret }));
    const timeline = (await loadTimeline(counting, jobId, focus))!;
    expect(timeline).toMatchObject({ from: 80_006 - WINDOW_POSITIONS_MAX / 2, to: 80_006 + WINDOW_POSITIONS_MAX / 2 - 1, events: 2 * OPERATIONS, outlined: 2, focus: 3, clipped: true, chunksSkipped: 0, numbering: 'history' });
    expect(read.length).toBeGreaterThan(0);
    expect(read.length).toBeLessThanOrEqual(2);
    for (const seq of read) {
      const c = chunks.find((x) => x.seq === seq)!;
      expect(c.firstLine - 1 + c.lines).toBeGreaterThan(80_006 - 2_000);
      expect(c.firstLine - 1).toBeLessThan(80_006 + 2_000);
    }
    // Numbered as the report numbers them, though the lines before the window were never read.
    expect(timeline.svg).toContain('#40003 process 3 write');
    expect(timeline.svg).toContain('#39900 process 0 write');
    // Without a numbered witness, by position.
    const unnumbered = (await loadTimeline(counting, jobId, focus.map(({ id: _id, ...rest }) => rest)))!;
    expect(unnumbered.numbering).toBe('positions');
    expect(unnumbered.svg).toContain('#80006 process 3 write');
    expect(timeline.svg.match(/class="ok hl( bl)?"/g)).toHaveLength(2);
    expect(timeline.svg).not.toContain('write 1000<');
  });

  it('finds the operations an invariant names by number, reading from the start no further than they lie, and at most a few chunks', async () => {
    const read: number[] = [];
    const prisma = t.db.prisma;
    const counting = chunkCounting(prisma, read);
    const near = (await locateOperations(counting, jobId, new Set([100, 12_000])))!;
    expect([...near.values()].map((o) => ({ id: o.id, process: o.process, f: o.f, call: o.call, ret: o.ret, status: o.status }))).toEqual([100, 12_000].map((i) => ({ id: i, process: i % 5, f: 'write', call: 2 * i, ret: 2 * i + 1, status: 'ok' })));
    const chunks = await prisma.historyChunk.findMany({ where: { history: { jobId } }, select: { seq: true, firstLine: true, lines: true }, orderBy: { seq: 'asc' } });
    const holding = chunks.find((c) => c.firstLine - 1 <= 24_001 && c.firstLine - 1 + c.lines > 24_001)!.seq;
    expect(read).toEqual(Array.from({ length: holding + 1 }, (_, i) => i));
    // The last operation lies past the chunks a page may read: not found, and the few read are the first.
    read.length = 0;
    expect((await locateOperations(counting, jobId, new Set([OPERATIONS - 1, 5])))!.has(OPERATIONS - 1)).toBe(false);
    expect(read).toEqual([0, 1, 2, 3]);
    // A chunk that expands past the limit stops the count; no stored history, no answer.
    expect((await locateOperations(prisma, bombId, new Set([0])))!.size).toBe(0);
    expect(await locateOperations(prisma, '00000000-0000-4000-8000-000000000000', new Set([0]))).toBeUndefined();
  });

  it('renders the job page around the witness', async () => {
    const cookie = await signIn(t.app, await t.token(['read']));
    const res = await page(t.app, `/ui/jobs/${jobId}`, cookie);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`Positions ${80_006 - WINDOW_POSITIONS_MAX / 2}–${80_006 + WINDOW_POSITIONS_MAX / 2 - 1} of 120000 history events`);
    expect(res.body).toContain("2 of the witness&#39;s 3 operation(s) found in this view and outlined");
    expect(res.body).toContain('centred on the operation that cannot be linearized');
  });

  it('serves the same bounded drawing as the API\'s SVG report', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/jobs/${jobId}/report?format=svg`, headers: { authorization: await t.token(['read']) } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/svg+xml');
    expect(res.body).toContain('#40003 process 3 write');
    expect(res.body.match(/class="ok hl( bl)?"/g)).toHaveLength(2);
    expect(res.body).not.toContain('write 1000<');
  });

  it('skips a chunk that would expand past the limit instead of reading it', async () => {
    const timeline = (await loadTimeline(t.db.prisma, bombId, []))!;
    expect(timeline.chunksSkipped).toBe(1);
    expect(timeline.svg).toContain('<svg');
    const cookie = await signIn(t.app, await t.token(['read']));
    expect((await page(t.app, `/ui/jobs/${bombId}`, cookie)).body).toContain('too large to read here');
  });

  it('draws a split check\'s timeline from the part that holds the failing key', async () => {
    const parent = await t.db.prisma.job.create({ data: { kind: 'check', status: 'done', outcome: 'violated', attempts: 1, partsTotal: 2, spec: { source: 'split.jsonl' }, finishedAt: new Date() } });
    const parts: string[] = [];
    for (const [index, key] of ['a', 'b'].entries()) {
      const part = await t.db.prisma.job.create({ data: { kind: 'check', status: 'done', outcome: index === 1 ? 'violated' : 'ok', attempts: 1, parentId: parent.id, partIndex: index, spec: { keys: [key] } } });
      const ops = [
        { process: 0, type: 'invoke', f: 'write', value: [key, 1] }, { process: 0, type: 'ok', f: 'write', value: [key, 1] },
        { process: 1, type: 'invoke', f: 'read', value: [key, null] }, { process: 1, type: 'ok', f: 'read', value: [key, 2] },
      ] as Omit<Op, 'index'>[];
      await writeHistory(t.db.prisma, part.id, historyFromOps(ops, { format: 'jsonl' }), { format: 'jsonl' });
      parts.push(part.id);
    }
    const blocked: OperationView = { id: 1, process: 1, f: 'read', input: ['b', null], output: ['b', 2], status: 'ok', call: 2, ret: 3, description: 'read b → 2' };
    const report = {
      version: 1, kind: 'single-object', model: 'kv', elapsedMs: 1,
      history: { events: 8, operations: 4, processes: 2, faults: 0 },
      verdict: { outcome: 'violated', summary: 'not linearizable (checked in 2 parts by key)' },
      linearizability: {
        outcome: 'illegal', model: 'kv', operations: 4, partitions: [],
        stats: { steps: 1, elapsedMs: 1, cacheEntries: 1, peakCacheBytes: 0, threads: 2 },
        counterexample: { partition: 'b', initialState: 'nil', prefix: [], prefixLength: 0, blocked, finalPaths: [], witness: { operations: [blocked], minimal: true, explanation: 'read b → 2 cannot take effect' } },
      },
    } as unknown as Report;
    await t.db.prisma.report.create({ data: { jobId: parent.id, kind: 'single-object', outcome: 'violated', levels: [], summary: 'x', body: report as object, elapsedMs: 1 } });
    const cookie = await signIn(t.app, await t.token(['read']));
    const body = (await page(t.app, `/ui/jobs/${parent.id}`, cookie)).body;
    expect(body).toContain('Parts (2, checked apart by key)');
    expect(body).toContain(`<a href="/ui/jobs/${parts[1]}">part 2</a>`);
    expect(body).toContain(`from <a href="/ui/jobs/${parts[1]}">the part</a> that holds the failing key`);
    expect(body).toContain('the 1 operation(s) of the witness are outlined in red');
    expect(body).toContain('[&quot;b&quot;,2]');
    expect(body).not.toContain('[&quot;a&quot;,1]');
    const svg = await t.app.inject({ method: 'GET', url: `/jobs/${parent.id}/report?format=svg`, headers: { authorization: await t.token(['read']) } });
    expect(svg.body).toContain('[&quot;b&quot;,2]');
    expect(svg.body).not.toContain('[&quot;a&quot;,1]');
    // Each part's page links back to the whole.
    expect((await page(t.app, `/ui/jobs/${parts[0]}`, cookie)).body).toContain(`<a href="/ui/jobs/${parent.id}">job ${parent.id}</a> (part 1)`);
  });
});

/** The store, with every chunk read by `findUnique` noted in `read` (its seq): what a page load reads. */
function chunkCounting(prisma: PrismaClient, read: number[]): PrismaClient {
  return {
    history: prisma.history,
    historyChunk: {
      findMany: prisma.historyChunk.findMany.bind(prisma.historyChunk),
      findUnique: (args: { where: { historyId_seq: { seq: number } } }) => {
        read.push(args.where.historyId_seq.seq);
        return prisma.historyChunk.findUnique(args as Parameters<typeof prisma.historyChunk.findUnique>[0]);
      },
    },
  } as unknown as PrismaClient;
}
