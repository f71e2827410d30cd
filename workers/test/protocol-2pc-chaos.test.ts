import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClientReply, NodeFactory } from '../src/sim/node-context.js';
import twoPhaseCommit from '../src/protocols/two-phase-commit/index.js';
import { FakeCluster } from './support/fake-node-context.js';

/**
 * 2PC under arbitrary interleavings on the hand-driven cluster: messages delivered one at a time
 * in any order, dropped or duplicated, nodes crashed and restarted, time jumping. After healing,
 * the correct protocol must have settled everything, atomically: every transaction's appends are
 * in the final lists all or none (`ok` all, `fail` none), and every `ok` read is a prefix of the
 * final list (no dirty or lost data).
 */

type Step =
  | { kind: 'txn'; via: string; ops: { f: 'append' | 'r'; k: number }[] }
  | { kind: 'deliver' | 'drop' | 'duplicate'; pick: number }
  | { kind: 'crash' | 'restart'; node: string }
  | { kind: 'advance'; ms: number };

const NODES = ['c1', 'c2', 'p1', 'p2', 'p3'];
const KEYS = 6;

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('txn' as const), via: fc.constantFrom('c1', 'c2'), ops: fc.array(fc.record({ f: fc.constantFrom('append' as const, 'r' as const), k: fc.nat(KEYS - 1) }), { minLength: 1, maxLength: 4 }) }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('drop' as const, 'duplicate' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('crash' as const, 'restart' as const), node: fc.constantFrom(...NODES) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 600 }) }) },
);

interface Issued {
  requestId: number;
  ops: unknown[][];
}

function runSteps(steps: readonly Step[], bug?: string): { c: FakeCluster; issued: Issued[]; finals: Map<number, unknown[]> } {
  const layout = twoPhaseCommit.cluster({ nodes: 3 });
  const factories: Record<string, NodeFactory> = {};
  for (const id of layout.nodes) factories[id] = twoPhaseCommit.node(id, { layout, bug });
  const c = new FakeCluster(factories, 7);
  const issued: Issued[] = [];
  let value = 0;
  for (const s of steps) {
    if (s.kind === 'txn') {
      const ops = s.ops.map((o) => (o.f === 'append' ? ['append', o.k, ++value] : ['r', o.k, null]));
      issued.push({ requestId: c.request(s.via, 'txn', ops), ops });
    } else if (s.kind === 'deliver' || s.kind === 'drop' || s.kind === 'duplicate') {
      const target = c.inFlight[s.pick % Math.max(1, c.inFlight.length)];
      if (target === undefined) {
        // Nothing in flight.
      } else if (s.kind === 'deliver') c.deliver((m) => m === target, 1);
      else if (s.kind === 'drop') c.drop((m) => m === target);
      else c.inFlight.push({ ...target });
    } else if (s.kind === 'crash') c.crash(s.node);
    else if (s.kind === 'restart') c.restart(s.node);
    else if (s.kind === 'advance') c.advance(s.ms, false);
  }
  for (const id of NODES) if (!c.isUp(id)) c.restart(id);
  for (let i = 0; i < 10; i++) c.advance(1_000);
  const finals = new Map<number, unknown[]>();
  for (let k = 0; k < KEYS; k++) {
    const owner = twoPhaseCommit.finalReads!(layout, [k])[0]!.node;
    const reply = c.replies.get(c.request(owner, 'txn', [['r', k, null]])) as { value: [string, number, unknown[]][] };
    finals.set(k, reply.value[0]![2]);
  }
  return { c, issued, finals };
}

/** The first violation of atomicity or of committed reads, or undefined. */
function violation(issued: readonly Issued[], finals: ReadonlyMap<number, unknown[]>, replies: ReadonlyMap<number, ClientReply>): string | undefined {
  for (const [k, list] of finals) if (new Set(list).size !== list.length) return `key ${k} has a duplicate: ${JSON.stringify(list)}`;
  for (const { requestId, ops } of issued) {
    const appends = ops.filter((o) => o[0] === 'append');
    const seen = appends.filter((o) => finals.get(o[1] as number)!.includes(o[2]));
    const reply = replies.get(requestId);
    if (seen.length !== 0 && seen.length !== appends.length) return `request ${requestId} is half committed: ${JSON.stringify(ops)}`;
    if (reply?.type === 'ok' && seen.length !== appends.length) return `request ${requestId} was ok but its appends are missing`;
    if (reply?.type === 'fail' && seen.length !== 0) return `request ${requestId} failed but its appends are visible`;
    if (reply?.type === 'ok') {
      for (const op of reply.value as unknown[][]) {
        if (op[0] !== 'r') continue;
        const final = finals.get(op[1] as number)!;
        const read = op[2] as unknown[];
        if (read.some((v, i) => final[i] !== v)) return `request ${requestId} read ${JSON.stringify(read)} of key ${String(op[1])}, not a prefix of ${JSON.stringify(final)}`;
      }
    }
  }
  return undefined;
}

const runs = (n: number): number => (process.env.VERDICT_CI === '1' ? n * 4 : n);

describe('2pc under arbitrary interleavings', () => {
  it('settles every transaction atomically once healed (fast-check prints the seed on failure)', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 10, maxLength: 120 }), (steps) => {
        const { c, issued, finals } = runSteps(steps);
        expect(violation(issued, finals, c.replies)).toBeUndefined();
        for (const p of ['p1', 'p2', 'p3']) expect(c.storage(p).get('rm/open') ?? []).toEqual([]);
        for (const coordinator of ['c1', 'c2']) expect(c.storage(coordinator).get('coord/open') ?? []).toEqual([]);
      }),
      { numRuns: runs(150) },
    );
  });

  it('with bug participant-timeout-decides, some interleaving splits a transaction', () => {
    const found = fc.sample(fc.array(step, { minLength: 40, maxLength: 120 }), { numRuns: 200, seed: 42 }).some((steps) => {
      const { c, issued, finals } = runSteps(steps, 'participant-timeout-decides');
      return violation(issued, finals, c.replies)?.includes('half committed') === true;
    });
    expect(found).toBe(true);
  });
});
