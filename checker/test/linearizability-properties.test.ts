import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSync, createModel, historyFromOps, type Op, type Operation, type OperationView } from '../src/index.js';
import { bruteForceLinearizable } from './support/lin-brute-force.js';
import { arbitraryHistory, linearizableHistory } from './support/lin-histories.js';

type RawOp = Omit<Op, 'index'>;

// Many runs in CI, fewer while iterating locally: fast-check prints the seed and path on failure.
const runs = (n: number): number => (process.env.VERDICT_CI === '1' ? n * 4 : n);

describe('linearizability properties', () => {
  it('accepts register histories that are linearizable by construction, info ops included', () => {
    fc.assert(
      fc.property(linearizableHistory({ processes: 6, opsPerProcess: 12 }), ({ ops }) => {
        const h = historyFromOps(ops);
        expect(checkSync(createModel('cas-register', 0), h).outcome).toBe('ok');
        expect(checkSync(createModel('etcd-register', 0), h).outcome).toBe('ok');
      }),
      { numRuns: runs(150) },
    );
  });

  it('accepts kv histories that are linearizable by construction', () => {
    fc.assert(
      fc.property(linearizableHistory({ processes: 8, opsPerProcess: 15, keys: ['a', 'b', 'c'], kv: true }), ({ ops }) => {
        expect(checkSync(createModel('kv', 0), historyFromOps(ops)).outcome).toBe('ok');
      }),
      { numRuns: runs(100) },
    );
  });

  it('rejects a history once a read returns a value no order can explain', () => {
    fc.assert(
      fc.property(
        linearizableHistory({ processes: 5, opsPerProcess: 10 }).filter(({ ops }) => ops.some((o) => o.type === 'ok' && o.f === 'read')),
        fc.nat(),
        ({ ops }, pick) => {
          const reads = ops.flatMap((o, i) => (o.type === 'ok' && o.f === 'read' ? [i] : []));
          const at = reads[pick % reads.length]!;
          const mutated = ops.map((o, i) => (i === at ? { ...o, value: 9_999 } : o));
          const result = checkSync(createModel('cas-register', 0), historyFromOps(mutated));
          expect(result.outcome).toBe('illegal');
          expect(result.counterexample).toBeDefined();
        },
      ),
      { numRuns: runs(100) },
    );
  });

  it('agrees with a brute-force checker on small arbitrary histories', () => {
    fc.assert(
      fc.property(arbitraryHistory({ processes: 3, opsPerProcess: 3, values: 3 }), fc.constantFrom('cas-register', 'etcd-register'), (ops, model) => {
        const h = historyFromOps(ops);
        const expected = bruteForceLinearizable(createModel(model, 0), h.operations) ? 'ok' : 'illegal';
        expect(checkSync(createModel(model, 0), h).outcome).toBe(expected);
      }),
      { numRuns: runs(400) },
    );
  });

  it('agrees with a brute-force checker with more processes and fewer values (reads are taken without alternatives)', () => {
    // Many concurrent reads of few values: the search takes a read the state explains alone, and
    // gives up the point before it when the read leads nowhere (wgl-search.ts).
    fc.assert(
      fc.property(arbitraryHistory({ processes: 4, opsPerProcess: 3, values: 2 }), fc.constantFrom('cas-register', 'etcd-register'), (ops, model) => {
        const h = historyFromOps(ops);
        const expected = bruteForceLinearizable(createModel(model, 0), h.operations) ? 'ok' : 'illegal';
        expect(checkSync(createModel(model, 0), h).outcome).toBe(expected);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('shrinks a counterexample to a witness that is still illegal and no larger than the history', () => {
    fc.assert(
      fc.property(arbitraryHistory({ processes: 4, opsPerProcess: 4, values: 3 }), (ops) => {
        const model = createModel('cas-register', 0);
        const h = historyFromOps(ops);
        const result = checkSync(model, h);
        fc.pre(result.outcome === 'illegal');
        const witness = result.counterexample!.witness.operations;
        expect(witness.length).toBeGreaterThan(0);
        expect(witness.length).toBeLessThanOrEqual(h.operations.length);
        expect(checkSync(model, witness.map(fromView)).outcome).toBe('illegal');
        // Every witness op is a history op, possibly weakened to info: never an invented one.
        for (const w of witness) {
          const original = h.operations[w.id]!;
          expect(original.f).toBe(w.f);
          expect(original.input).toEqual(w.input);
          if (w.status !== 'info') expect(original.status).toBe(w.status);
        }
      }),
      { numRuns: runs(150) },
    );
  });
});

function fromView(v: OperationView): Operation {
  return { id: v.id, process: v.process, f: v.f, input: v.input, output: v.status === 'info' ? undefined : v.output, status: v.status, call: v.call, ret: v.ret ?? Infinity };
}

export type { RawOp };

/** One planned operation: its process slot, when it is called, how long it runs, what it does and how it ends. */
interface PlannedOp {
  process: number;
  call: number;
  duration: number;
  f: string;
  input: unknown;
  status: Op['type'];
  /** The completion's value when it is ok (an info completion repeats the input). */
  output: unknown;
}

/**
 * A history of planned operations: one open operation per process at a time, and a process whose
 * operation timed out goes on under a fresh id, as Jepsen requires.
 */
function historyOfPlans(plans: readonly PlannedOp[]): RawOp[] {
  const events: { time: number; op: RawOp }[] = [];
  const id = new Map<number, number>();
  const free = new Map<number, number>();
  let fresh = 100;
  for (const p of plans) {
    const process = id.get(p.process) ?? p.process;
    const call = Math.max(p.call, free.get(process) ?? 0) + 0.001 * (process % 100) + 0.0001;
    const ret = call + p.duration;
    events.push({ time: call, op: { process, type: 'invoke', f: p.f, value: p.input } });
    events.push({ time: ret, op: { process, type: p.status, f: p.f, value: p.status === 'info' ? p.input : p.output } });
    free.set(process, ret);
    if (p.status === 'info') id.set(p.process, fresh++);
  }
  events.sort((a, b) => a.time - b.time);
  return events.map((e) => e.op);
}

/** The search and the brute force give one verdict on every history drawn. */
function agreesWithBruteForce(histories: fc.Arbitrary<RawOp[]>, model: string, init: unknown): void {
  fc.assert(
    fc.property(histories, (ops) => {
      const h = historyFromOps(ops);
      const expected = bruteForceLinearizable(createModel(model, init), h.operations) ? 'ok' : 'illegal';
      expect(checkSync(createModel(model, init), h).outcome).toBe(expected);
    }),
    { numRuns: runs(1000) },
  );
}

const timing = { process: fc.integer({ min: 0, max: 3 }), call: fc.integer({ min: 0, max: 20 }), duration: fc.integer({ min: 1, max: 8 }) };

/**
 * Counter histories where many increments time out (as under the zk-counter recipe): each pair of
 * such increments is a twin the search orders by call only (wgl-search.ts). Small enough for the
 * brute force, which tries every subset and order of them.
 */
describe('linearizability of counters with timed-out increments', () => {
  const counterHistory = fc.array(
    fc.record({ ...timing, f: fc.constantFrom('add', 'add', 'read'), status: fc.constantFrom('ok', 'info', 'info', 'fail'), read: fc.integer({ min: 0, max: 5 }) }),
    { minLength: 1, maxLength: 9 },
  ).map((plans) => historyOfPlans(plans.map((p) => {
    const read = p.f === 'read';
    const status = (read && p.status === 'fail' ? 'ok' : p.status) as Op['type'];
    return { ...p, input: read ? null : 1, status, output: read ? p.read : 1 };
  })));

  it('agrees with a brute-force checker', () => agreesWithBruteForce(counterHistory, 'counter', 0));
});

/**
 * Counters many clients raise together, nearly every increment acknowledged: an increment called
 * and returned before another is its twin, which the search takes first (twins.ts), and reads pin
 * the count between them. Against brute force, which tries every order.
 */
describe('linearizability of counters raised by many clients together', () => {
  const crowded = { process: fc.integer({ min: 0, max: 5 }), call: fc.integer({ min: 0, max: 12 }), duration: fc.integer({ min: 1, max: 10 }) };
  const counterHistory = fc.array(
    fc.record({ ...crowded, f: fc.constantFrom('add', 'add', 'add', 'read'), status: fc.constantFrom('ok', 'ok', 'ok', 'info'), amount: fc.constantFrom(1, 1, 2), read: fc.integer({ min: 0, max: 8 }) }),
    { minLength: 1, maxLength: 10 },
  ).map((plans) => historyOfPlans(plans.map((p) => {
    const read = p.f === 'read';
    return { ...p, input: read ? null : p.amount, status: (read ? 'ok' : p.status) as Op['type'], output: read ? p.read : p.amount };
  })));

  it('agrees with a brute-force checker', () => agreesWithBruteForce(counterHistory, 'counter', 0));
});

/** Small kv histories, many timed out: the search (split per key, twins of equal puts and appends in call order) against brute force on the whole store. */
describe('linearizability of kv stores with timed-out writes', () => {
  const kvHistory = fc.array(
    fc.record({
      ...timing,
      f: fc.constantFrom('put', 'append', 'get'),
      key: fc.constantFrom('a', 'b'),
      value: fc.constantFrom('x', 'y'),
      read: fc.constantFrom('', 'x', 'y', 'xx', 'xy', 'yx'),
      status: fc.constantFrom('ok', 'info', 'info'),
    }),
    { minLength: 1, maxLength: 9 },
  ).map((plans) => historyOfPlans(plans.map((p) => {
    const get = p.f === 'get';
    const input = get ? [p.key, null] : [p.key, p.value];
    return { ...p, input, status: (get ? 'ok' : p.status) as Op['type'], output: get ? [p.key, p.read] : input };
  })));

  it('agrees with a brute-force checker', () => agreesWithBruteForce(kvHistory, 'kv', ''));
});
