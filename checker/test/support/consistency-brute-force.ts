import { isInconsistent, type Model } from '../../src/models/model.js';
import type { Operation } from '../../src/history/op.js';

/**
 * Oracles written straight from the definitions, exponential, for small histories only.
 * They share no code with the checkers they test.
 */

const unitOf = (o: Operation): string => (o.session !== undefined ? `s:${String(o.session)}` : `p:${String(o.process)}`);

/** a precedes b in program order: same unit, a completed before b was invoked. */
function before(a: Operation, b: Operation): boolean {
  return a !== b && unitOf(a) === unitOf(b) && a.status !== 'info' && a.ret < b.call;
}

/**
 * Sequential consistency by trying every order: pick any op whose program-order predecessors
 * are placed and that the model accepts; `info` ops may be placed or left out. Fails are dropped
 * (Knossos reading), and so are reads with unknown results.
 */
export function bruteSequential(model: Model<any>, operations: readonly Operation[]): boolean {
  const isRead = (o: Operation): boolean => o.f === 'read' || o.f === 'get';
  const ops = operations.filter((o) => o.status !== 'fail' && !(o.status === 'info' && isRead(o)));
  const preds = ops.map((b) => ops.map((a, k) => (before(a, b) ? k : -1)).filter((k) => k >= 0));
  const placed = new Array<boolean>(ops.length).fill(false);
  const go = (state: unknown, left: number): boolean => {
    if (left === 0) return true;
    for (let k = 0; k < ops.length; k++) {
      if (placed[k] || !preds[k]!.every((p) => placed[p])) continue;
      const next = model.step(state, ops[k]!);
      if (isInconsistent(next)) continue;
      placed[k] = true;
      const found = go(next, left - (ops[k]!.status === 'info' ? 0 : 1));
      placed[k] = false;
      if (found) return true;
    }
    return false;
  };
  return go(model.init(), ops.filter((o) => o.status !== 'info').length);
}

interface Access { key: string; observes?: unknown; writes?: unknown }

function accessOf(o: Operation, kind: 'register' | 'kv'): Access {
  const unwrap = (v: unknown): [string, unknown] => (kind === 'kv' ? [String((v as unknown[])[0]), (v as unknown[])[1]] : ['', v]);
  if (o.f === 'read') {
    const [key, v] = unwrap(o.status === 'ok' ? o.output : o.input);
    return o.status === 'ok' && v !== null && v !== undefined ? { key, observes: v } : { key };
  }
  const [key, v] = unwrap(o.input);
  if (o.f === 'write') return { key, writes: v };
  const [from, to] = v as [unknown, unknown];
  return o.status === 'ok' ? { key, observes: from, writes: to } : { key, writes: to };
}

/**
 * The session guarantees by trying every version order: is there, per key, one order of the
 * initial value and the written values (initial first) such that within every scope, for each
 * pair a completed before b was invoked: RYW, MR (≤), MW, WFR (<), and every cas after the value
 * it replaced? Reads of values nobody wrote are ignored.
 */
export function bruteSessions(operations: readonly Operation[], kind: 'register' | 'kv', init: unknown, scope: (o: Operation) => string | undefined): boolean {
  const ops = operations.filter((o) => o.status !== 'fail' && !(o.status === 'info' && o.f === 'read'));
  const acc = ops.map((o) => accessOf(o, kind));
  const versions = new Map<string, unknown[]>();
  ops.forEach((o, k) => {
    const a = acc[k]!;
    if (!versions.has(a.key)) versions.set(a.key, [init]);
    if (a.writes !== undefined) versions.get(a.key)!.push(a.writes);
  });
  const known = (key: string, v: unknown): boolean => versions.get(key)!.includes(v);
  type C = { key: string; lo: unknown; hi: unknown; strict: boolean };
  const cs: C[] = [];
  for (const [key, vs] of versions) for (const v of vs.slice(1)) cs.push({ key, lo: init, hi: v, strict: true });
  ops.forEach((o, k) => {
    const a = acc[k]!;
    if (o.f === 'cas' && a.writes !== undefined) {
      const from = ((kind === 'kv' ? (o.input as unknown[])[1] : o.input) as unknown[])[0];
      if (known(a.key, from)) cs.push({ key: a.key, lo: from, hi: a.writes, strict: true });
    }
  });
  for (let x = 0; x < ops.length; x++) {
    for (let y = 0; y < ops.length; y++) {
      const a = ops[x]!;
      const b = ops[y]!;
      const s = scope(a);
      if (s === undefined || s !== scope(b) || a.status !== 'ok' || !(a.ret < b.call)) continue;
      const A = acc[x]!;
      const B = acc[y]!;
      if (A.key !== B.key) continue;
      const bObserves = b.status === 'ok' && B.observes !== undefined && known(B.key, B.observes);
      const aObserves = A.observes !== undefined && known(A.key, A.observes);
      if (A.writes !== undefined && bObserves) cs.push({ key: A.key, lo: A.writes, hi: B.observes, strict: false });
      if (aObserves && bObserves) cs.push({ key: A.key, lo: A.observes, hi: B.observes, strict: false });
      if (A.writes !== undefined && B.writes !== undefined) cs.push({ key: A.key, lo: A.writes, hi: B.writes, strict: true });
      if (aObserves && B.writes !== undefined) cs.push({ key: A.key, lo: A.observes, hi: B.writes, strict: true });
    }
  }
  for (const [key, vs] of versions) {
    const mine = cs.filter((c) => c.key === key);
    if (!permutations(vs.slice(1)).some((perm) => {
      const pos = new Map<unknown, number>([[init, 0], ...perm.map((v, i) => [v, i + 1] as [unknown, number])]);
      return mine.every((c) => (c.strict ? pos.get(c.lo)! < pos.get(c.hi)! : pos.get(c.lo)! <= pos.get(c.hi)!));
    })) return false;
  }
  return true;
}

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest]));
}
