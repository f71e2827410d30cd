import { digest64, hash32 } from './hash.js';

/** Children per tree node and levels below the root: 4³ = 64 leaves. */
export const FANOUT = 4;
export const DEPTH = 3;
export const LEAVES = FANOUT ** DEPTH;

/** The leaf a key's entry hashes into. */
export function leafOf(name: string): number {
  return hash32(`leaf:${name}`) % LEAVES;
}

/** The tree node indices at `level + 1` under node `index` at `level`. */
export function childrenOf(index: number): number[] {
  return Array.from({ length: FANOUT }, (_, i) => index * FANOUT + i);
}

/**
 * A Merkle tree (Dynamo §4.7) over a set of keys and the digests of their versions: leaf hashes
 * cover the keys that hash into them, each inner node the hashes of its children. Two replicas
 * with equal roots hold the same versions of every key in the set; where they differ, comparing
 * children level by level finds the differing leaves in a few round trips, without shipping keys
 * that agree. Rebuilt from the store for each exchange: cheap at the key counts a run reaches.
 */
export class MerkleTree {
  /** Hashes per level, root (level 0) first. */
  private readonly levels: string[][];

  constructor(entries: Iterable<{ name: string; digest: string }>) {
    const perLeaf: string[][] = Array.from({ length: LEAVES }, () => []);
    for (const e of entries) perLeaf[leafOf(e.name)]!.push(`${e.name}=${e.digest}`);
    let level = perLeaf.map((items) => (items.length === 0 ? EMPTY : digest64(items.sort().join(';'))));
    const levels = [level];
    while (level.length > 1) {
      const up: string[] = [];
      for (let i = 0; i < level.length; i += FANOUT) {
        const children = level.slice(i, i + FANOUT);
        up.push(children.every((h) => h === EMPTY) ? EMPTY : digest64(children.join(',')));
      }
      levels.unshift(up);
      level = up;
    }
    this.levels = levels;
  }

  hash(level: number, index: number): string {
    return this.levels[level]?.[index] ?? EMPTY;
  }
}

/** The hash of a subtree holding no keys. */
const EMPTY = '-';
