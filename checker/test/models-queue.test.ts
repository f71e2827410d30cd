import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSync, createModel, historyFromOps, type Op, type Operation } from '../src/index.js';

type Raw = Omit<Op, 'index'>;
const inv = (process: number, f: string, value: unknown): Raw => ({ process, type: 'invoke', f, value });
const ok = (process: number, f: string, value: unknown): Raw => ({ process, type: 'ok', f, value });
const info = (process: number, f: string, value: unknown): Raw => ({ process, type: 'info', f, value });

const runs = (n: number): number => (process.env.VERDICT_CI === '1' ? n * 4 : n);

describe('queue models', () => {
  it('let a dequeue with unknown result take an element, or none', () => {
    // The info dequeue took 1: then 2 is at the head.
    const fifo = historyFromOps([inv(0, 'enqueue', 1), ok(0, 'enqueue', 1), inv(0, 'enqueue', 2), ok(0, 'enqueue', 2),
      inv(1, 'dequeue', null), info(1, 'dequeue', null), inv(2, 'dequeue', null), ok(2, 'dequeue', 2)]);
    expect(checkSync(createModel('fifo-queue'), fifo).outcome).toBe('ok');
    // The info dequeue took 1: then the queue is empty.
    const took = historyFromOps([inv(0, 'enqueue', 1), ok(0, 'enqueue', 1),
      inv(1, 'dequeue', null), info(1, 'dequeue', null), inv(2, 'dequeue', null), ok(2, 'dequeue', null)]);
    expect(checkSync(createModel('unordered-queue'), took).outcome).toBe('ok');
    expect(checkSync(createModel('fifo-queue'), took).outcome).toBe('ok');
    // Or it took nothing.
    const none = historyFromOps([inv(0, 'enqueue', 1), ok(0, 'enqueue', 1),
      inv(1, 'dequeue', null), info(1, 'dequeue', null), inv(2, 'dequeue', null), ok(2, 'dequeue', 1)]);
    expect(checkSync(createModel('unordered-queue'), none).outcome).toBe('ok');
  });

  it('still find what no dequeue with unknown result explains', () => {
    // One unknown dequeue takes one element at most: two were enqueued, so the queue is not empty.
    const two = historyFromOps([inv(0, 'enqueue', 1), ok(0, 'enqueue', 1), inv(0, 'enqueue', 2), ok(0, 'enqueue', 2),
      inv(1, 'dequeue', null), info(1, 'dequeue', null), inv(2, 'dequeue', null), ok(2, 'dequeue', null)]);
    expect(checkSync(createModel('unordered-queue'), two).outcome).toBe('illegal');
    expect(checkSync(createModel('fifo-queue'), two).outcome).toBe('illegal');
    // It cannot take an element a later dequeue returned.
    const twice = historyFromOps([inv(0, 'enqueue', 1), ok(0, 'enqueue', 1),
      inv(1, 'dequeue', null), info(1, 'dequeue', null), inv(2, 'dequeue', null), ok(2, 'dequeue', 1), inv(2, 'dequeue', null), ok(2, 'dequeue', 1)]);
    expect(checkSync(createModel('unordered-queue'), twice).outcome).toBe('illegal');
  });

  it('agree with the definition on small histories', () => {
    const planned = fc.record({
      f: fc.constantFrom('enqueue', 'dequeue'),
      value: fc.constantFrom(null, 1, 2, 3),
      call: fc.nat(20),
      duration: fc.integer({ min: 1, max: 8 }),
      unknown: fc.integer({ min: 0, max: 3 }).map((x) => x === 0),
    });
    fc.assert(
      fc.property(fc.array(planned, { minLength: 1, maxLength: 7 }), fc.constantFrom('fifo-queue', 'unordered-queue'), (plans, name) => {
        const events: { t: number; op: Raw }[] = [];
        plans.forEach((p, process) => {
          const value = p.f === 'enqueue' ? (p.value ?? 0) : p.value;
          events.push({ t: 2 * p.call, op: inv(process, p.f, p.f === 'enqueue' ? value : null) });
          events.push({ t: 2 * (p.call + p.duration) + 1, op: p.unknown ? info(process, p.f, null) : ok(process, p.f, value) });
        });
        events.sort((a, b) => a.t - b.t);
        const h = historyFromOps(events.map((e) => e.op));
        const expected = bruteForce(h.operations, name === 'fifo-queue') ? 'ok' : 'illegal';
        expect(checkSync(createModel(name), h).outcome).toBe(expected);
      }),
      { numRuns: runs(300) },
    );
  });
});

/**
 * Linearizability of a queue history by exhaustion, on the plain definition: every completed op
 * and any of the indeterminate ones, in an order that respects real time; an indeterminate
 * dequeue that happens removes any element present (the head, in a FIFO queue), or finds none.
 */
function bruteForce(ops: readonly Operation[], fifo: boolean): boolean {
  const required = ops.filter((o) => o.ret !== Infinity).length;
  const used = new Array<boolean>(ops.length).fill(false);
  const search = (queue: unknown[], placedRequired: number): boolean => {
    if (placedRequired === required) return true;
    for (let i = 0; i < ops.length; i++) {
      if (used[i]) continue;
      const op = ops[i]!;
      if (ops.some((o, j) => !used[j] && j !== i && o.ret < op.call)) continue;
      const nexts: unknown[][] = [];
      if (op.f === 'enqueue') nexts.push([...queue, op.input]);
      else if (op.status === 'info') {
        if (queue.length === 0) nexts.push(queue);
        else if (fifo) nexts.push(queue.slice(1));
        else queue.forEach((_, k) => nexts.push([...queue.slice(0, k), ...queue.slice(k + 1)]));
      } else if (op.output === null) {
        if (queue.length === 0) nexts.push(queue);
      } else {
        const k = fifo ? (queue[0] === op.output ? 0 : -1) : queue.indexOf(op.output);
        if (k >= 0) nexts.push([...queue.slice(0, k), ...queue.slice(k + 1)]);
      }
      used[i] = true;
      const found = nexts.some((q) => search(q, placedRequired + (op.ret !== Infinity ? 1 : 0)));
      used[i] = false;
      if (found) return true;
    }
    return false;
  };
  return search([], 0);
}
