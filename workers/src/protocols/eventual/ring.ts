import type { NodeId } from '../../sim/node-context.js';
import { hash32, keyName } from './hash.js';

/** Placements a ring remembers; past this it forgets them all (keys are cheap to place again). */
const PLACEMENTS_REMEMBERED_MAX = 4096;

/**
 * Consistent hashing (Dynamo §4.2): each node owns `vnodes` tokens on a 32-bit ring; a key lives
 * at the hash of its name and belongs to the first nodes met walking clockwise from there. The
 * walk, continued past the first `n` distinct nodes, gives the extended preference list whose
 * later nodes stand in for unreachable ones under a sloppy quorum. Pure and deterministic: every
 * node builds the same ring from the same peer list, in every run.
 */
export class Ring {
  private readonly tokens: number[];
  private readonly owners: number[];
  private readonly placements = new Map<string, readonly number[]>();

  constructor(readonly nodes: readonly NodeId[], vnodes: number) {
    if (nodes.length === 0) throw new Error('eventual: a ring needs at least one node');
    const points: [number, number][] = [];
    nodes.forEach((node, i) => {
      for (let v = 0; v < vnodes; v++) points.push([hash32(`token:${node}#${v}`), i]);
    });
    // Ties between tokens go to the lower node index, so every node sorts them alike.
    points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    this.tokens = points.map((p) => p[0]);
    this.owners = points.map((p) => p[1]);
  }

  /** Every node, by index, in the key's preference order: the first `n` are its replicas. */
  preference(key: unknown): readonly number[] {
    const name = keyName(key);
    const known = this.placements.get(name);
    if (known !== undefined) return known;
    const at = hash32(`key:${name}`);
    let i = lowerBound(this.tokens, at);
    const seen = new Set<number>();
    const order: number[] = [];
    for (let steps = 0; steps < this.tokens.length && order.length < this.nodes.length; steps++, i++) {
      const owner = this.owners[i % this.tokens.length]!;
      if (seen.has(owner)) continue;
      seen.add(owner);
      order.push(owner);
    }
    if (this.placements.size >= PLACEMENTS_REMEMBERED_MAX) this.placements.clear();
    this.placements.set(name, order);
    return order;
  }

  /** The `n` replicas of a key, by node index, most preferred first. */
  replicas(key: unknown, n: number): readonly number[] {
    return this.preference(key).slice(0, n);
  }
}

/** The first index whose token is ≥ `at` (the tokens' length when none is). */
function lowerBound(sorted: readonly number[], at: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
