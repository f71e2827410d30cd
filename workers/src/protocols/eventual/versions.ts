/**
 * One stored version of a key's value. Last-writer-wins stamps it with the coordinator's clock
 * and index; version vectors give it a vector of per-node counters (Dynamo §4.4). A replica holds
 * a list of versions: at most one under LWW, and under version vectors the siblings — versions
 * no other version it holds descends from.
 */
export interface Version {
  value: unknown;
  /** The node index that coordinated the write (LWW's tie-break). */
  node: number;
  /** LWW: the coordinator's clock when it stamped the write, ms. */
  ms?: number;
  /** Version vectors: a counter per node index. */
  vv?: number[];
}

/** How replicas reconcile versions: the store's `resolve` mode. */
export interface Resolver {
  readonly mode: 'lww' | 'siblings';
  /** What a replica keeps once it also knows `incoming`; never mutates either list. */
  merge(current: readonly Version[], incoming: readonly Version[]): Version[];
  /** True when merging `b` into `a` would change nothing. */
  covers(a: readonly Version[], b: readonly Version[]): boolean;
  /**
   * The stamp of a new write coordinated by `node` over `context` (the versions it holds): LWW the
   * clock, never below its last stamp; version vectors a counter above every one `node` issued.
   */
  nextStamp(context: readonly Version[], node: number, clockMs: number, lastStamp: number): number;
  /** The version of a write with that stamp; under version vectors it descends from all of `context`. */
  create(context: readonly Version[], value: unknown, node: number, stamp: number, nodes: number): Version;
  /** A read's answer to the client: the value (LWW, null when none) or the sibling values, sorted. */
  answer(versions: readonly Version[]): unknown;
  /** A short text equal for equal version lists (Merkle leaves, handoff acknowledgements). */
  digest(versions: readonly Version[]): string;
}

/** Last writer wins by (timestamp, node): one version per key, the highest stamp. */
export const LWW: Resolver = {
  mode: 'lww',
  merge(current, incoming) {
    let best: Version | undefined;
    for (const v of current) if (best === undefined || newerLww(v, best)) best = v;
    for (const v of incoming) if (best === undefined || newerLww(v, best)) best = v;
    return best === undefined ? [] : [best];
  },
  covers(a, b) {
    const mine = a[0];
    return b.every((v) => mine !== undefined && !newerLww(v, mine));
  },
  nextStamp(_context, _node, clockMs, lastStamp) {
    // Never two writes of one coordinator with one stamp, nor a later one stamped lower.
    return Math.max(clockMs, lastStamp + 0.001);
  },
  create(_context, value, node, stamp) {
    return { value, node, ms: stamp };
  },
  answer(versions) {
    return versions[0]?.value ?? null;
  },
  digest(versions) {
    return versions.map((v) => `${v.ms ?? 0}@${v.node}:${JSON.stringify(v.value)}`).join('|');
  },
};

/** Version vectors with siblings: concurrent versions are all kept and all returned. */
export const SIBLINGS: Resolver = {
  mode: 'siblings',
  merge(current, incoming) {
    const all = [...current, ...incoming];
    const kept: Version[] = [];
    for (let i = 0; i < all.length; i++) {
      const v = all[i]!;
      let drop = false;
      for (let j = 0; j < all.length && !drop; j++) {
        if (i === j) continue;
        const order = compareVv(v.vv!, all[j]!.vv!);
        // Dominated, or the same version seen twice (keep its first copy).
        drop = order === BEFORE || (order === EQUAL && j < i);
      }
      if (!drop) kept.push(v);
    }
    return kept.sort(byVv);
  },
  covers(a, b) {
    return b.every((v) => a.some((w) => {
      const order = compareVv(v.vv!, w.vv!);
      return order === BEFORE || order === EQUAL;
    }));
  },
  nextStamp(context, node, _clockMs, lastStamp) {
    let seen = lastStamp;
    for (const v of context) seen = Math.max(seen, v.vv![node] ?? 0);
    return Math.floor(seen) + 1;
  },
  create(context, value, node, stamp, nodes) {
    const vv = new Array<number>(nodes).fill(0);
    for (const v of context) for (let i = 0; i < nodes; i++) vv[i] = Math.max(vv[i]!, v.vv![i] ?? 0);
    vv[node] = stamp;
    return { value, node, vv };
  },
  answer(versions) {
    const values = new Map<string, unknown>();
    for (const v of versions) values.set(JSON.stringify(v.value), v.value);
    return [...values.values()].sort(byValue);
  },
  digest(versions) {
    return versions.map((v) => `${v.vv!.join('.')}:${JSON.stringify(v.value)}`).sort().join('|');
  },
};

export function resolverFor(mode: 'lww' | 'siblings'): Resolver {
  return mode === 'lww' ? LWW : SIBLINGS;
}

/** LWW's order: the later timestamp wins; equal timestamps go to the higher node index. */
export function newerLww(a: Version, b: Version): boolean {
  const am = a.ms ?? 0;
  const bm = b.ms ?? 0;
  return am > bm || (am === bm && a.node > b.node);
}

export const BEFORE = -1;
export const EQUAL = 0;
export const AFTER = 1;
export const CONCURRENT = 2;

/** How version vector `a` relates to `b`: BEFORE (b descends from a), EQUAL, AFTER or CONCURRENT. */
export function compareVv(a: readonly number[], b: readonly number[]): number {
  let less = false;
  let more = false;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x < y) less = true;
    else if (x > y) more = true;
  }
  return less && more ? CONCURRENT : less ? BEFORE : more ? AFTER : EQUAL;
}

function byVv(a: Version, b: Version): number {
  const x = a.vv!.join('.');
  const y = b.vv!.join('.');
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Numbers by value, anything else by its JSON, numbers first: a stable order for sibling lists. */
export function byValue(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
