import type { OperationView, Report } from '@verdict/checker';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { encodeHistory } from '../../src/store/history-chunks.js';

/**
 * A stored key-value history of any size, made without holding it in memory, with a report whose
 * counterexample lies 70 % of the way in: for the pages' speed at 100,000 and 1,000,000
 * operations (the tests and `npm run bench -- web`). The history is regular: operations come in
 * groups of five that overlap (five invocations, then five completions), ten processes take turns,
 * keys "0".."9"; every third operation a get, the rest puts. The report is written by hand (a
 * check of a million operations is the checker's bench, not the pages'), naming real operations
 * of the history on key "3".
 */
export const BIG_KEYS = 10;

function keyOf(i: number): string {
  return String((i * 7) % BIG_KEYS);
}

/** Operation i as a report shows it (invoked at 10g + j, completed at 10g + 5 + j). */
export function bigOperation(i: number): OperationView {
  const g = Math.floor(i / 5);
  const j = i % 5;
  const key = keyOf(i);
  const get = i % 3 === 0;
  const value = get ? [key, `v${i - 1}`] : [key, `v${i}`];
  return {
    id: i, process: j + 5 * (g % 2), f: get ? 'get' : 'put', input: get ? [key, null] : value, output: value, status: 'ok',
    call: 10 * g + j, ret: 10 * g + 5 + j, description: get ? `get "${key}" → "v${i - 1}"` : `put "${key}" "v${i}"`,
  };
}

function* bigOps(operations: number): Generator<{ index: number; process: number; type: 'invoke' | 'ok'; f: string; value: unknown; time: number }> {
  let index = 0;
  for (let g = 0; g * 5 < operations; g++) {
    const group = [0, 1, 2, 3, 4].map((j) => g * 5 + j).filter((i) => i < operations).map(bigOperation);
    for (const o of group) yield { index: index++, process: o.process as number, type: 'invoke', f: o.f, value: o.input, time: index * 1_000_000 };
    for (const o of group) yield { index: index++, process: o.process as number, type: 'ok', f: o.f, value: o.output, time: index * 1_000_000 };
  }
}

/** The operations on key "3" just before and at i, newest last. */
function onKey3Before(i: number, count: number): OperationView[] {
  const out: OperationView[] = [];
  for (let k = i; k >= 0 && out.length < count; k--) if (keyOf(k) === '3') out.unshift(bigOperation(k));
  return out;
}

/** Stores the history and its report for a job that exists; returns the blocked operation. */
export async function storeBigHistory(prisma: PrismaClient, jobId: string, operations: number): Promise<OperationView> {
  const encoded = encodeHistory(bigOps(operations) as never);
  const history = await prisma.history.create({ data: { jobId, format: 'jsonl', source: `big-${operations}.jsonl`, events: encoded.events, bytes: BigInt(encoded.bytes), storedBytes: BigInt(encoded.storedBytes) }, select: { id: true } });
  for (let at = 0; at < encoded.chunks.length; at += 20) {
    await prisma.historyChunk.createMany({ data: encoded.chunks.slice(at, at + 20).map((c) => ({ historyId: history.id, ...c })) });
  }
  const around = onKey3Before(Math.floor(operations * 0.7), 9);
  const blocked = around[around.length - 1]!;
  const witness = around.slice(-3);
  const prefix = around.slice(0, -1).map((op) => ({ op, state: JSON.stringify(op.output) }));
  const report = {
    version: 1, kind: 'single-object', model: 'kv', elapsedMs: 1,
    history: { events: encoded.events, operations, processes: 10, faults: 0 },
    verdict: { outcome: 'violated', summary: 'not linearizable' },
    linearizability: {
      outcome: 'illegal', model: 'kv', operations, partitions: [{ key: '3', outcome: 'illegal', operations: operations / BIG_KEYS, steps: 1, cacheEntries: 1, elapsedMs: 1 }],
      stats: { steps: 1, elapsedMs: 1, cacheEntries: 1, peakCacheBytes: 0, threads: 1 },
      counterexample: {
        partition: '3', initialState: '""', prefix, prefixLength: Math.floor(operations / BIG_KEYS), blocked,
        finalPaths: [{ steps: prefix, blocked, attempts: [{ op: blocked, reason: 'a made-up reason' }] }],
        witness: { operations: witness, minimal: true, explanation: 'a made-up witness' },
      },
    },
  } as unknown as Report;
  await prisma.report.create({ data: { jobId, kind: 'single-object', outcome: 'violated', levels: [], summary: 'not linearizable', body: report as object, elapsedMs: 1 } });
  return blocked;
}
