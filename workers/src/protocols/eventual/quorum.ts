/** A node a coordinator writes to or reads from, and whose replica it stands in for, if any. */
export interface Target {
  node: number;
  /** The replica this node holds the write for as a hint (a sloppy quorum's stand-in), or -1. */
  hintFor: number;
}

/**
 * The nodes a request for a key goes to, in preference order.
 * - Strict quorum: the key's N replicas, up or not (an unreachable one simply never answers).
 * - Sloppy quorum (Dynamo §4.6): the first N nodes of the extended preference list believed up;
 *   a stand-in past the first N holds the write as a hint for the replica it replaces, and hands
 *   it off once that replica is back.
 */
export function targetsFor(preference: readonly number[], n: number, sloppy: boolean, up: (node: number) => boolean): Target[] {
  if (!sloppy) return preference.slice(0, n).map((node) => ({ node, hintFor: -1 }));
  const missing = preference.slice(0, n).filter((node) => !up(node));
  const targets: Target[] = [];
  for (let i = 0; i < preference.length && targets.length < n; i++) {
    const node = preference[i]!;
    if (!up(node)) continue;
    if (i < n) targets.push({ node, hintFor: -1 });
    else if (missing.length > 0) targets.push({ node, hintFor: missing.shift()! });
  }
  return targets;
}

/** Quorum arithmetic for reports and the sweep: does every read quorum meet every write quorum? */
export function quorumsIntersect(n: number, r: number, w: number): boolean {
  return r + w > n;
}
