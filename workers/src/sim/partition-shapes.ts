import type { SeededRng } from './rng.js';

/**
 * The partition shapes the nemesis draws (Jepsen's grudges), over node indices. Groups: nodes
 * talk iff some group holds both. Views: node i hears exactly views[i] (directed).
 */

/** Two random halves; the smaller one is a minority. */
export function randomHalves(n: number, rng: SeededRng): number[][] {
  const order = rng.shuffle(range(n));
  const cut = Math.floor(n / 2);
  return cut === 0 ? [order] : [order.slice(0, cut).sort(byNumber), order.slice(cut).sort(byNumber)];
}

/**
 * Every node hears a majority, and no two nodes hear the same majority: nodes sit on a random
 * ring and each hears the majority-sized window around itself. With an even window the window
 * leans forward, so some links are one-way (as Jepsen's majorities ring is for small clusters).
 */
export function majorityRing(n: number, rng: SeededRng): { ring: number[]; views: number[][] } {
  const ring = rng.shuffle(range(n));
  return { ring, views: ringViews(ring) };
}

/** Each node's majority-sized window on the ring: `behind` nodes before it, the rest after. */
function ringWindow(n: number): { majority: number; behind: number } {
  const majority = Math.floor(n / 2) + 1;
  return { majority, behind: Math.floor((majority - 1) / 2) };
}

function ringViews(ring: readonly number[]): number[][] {
  const n = ring.length;
  const { majority, behind } = ringWindow(n);
  const views: number[][] = range(n).map(() => []);
  for (let p = 0; p < n; p++) {
    const seen: number[] = [];
    for (let k = -behind; k < majority - behind; k++) seen.push(ring[(p + k + n) % n]!);
    views[ring[p]!] = seen.sort(byNumber);
  }
  return views;
}

/** Two halves that cannot talk, and one bridge node that talks to both. */
export function bridge(n: number, rng: SeededRng): { groups: number[][]; bridge: number } {
  const order = rng.shuffle(range(n));
  const left = Math.floor((n - 1) / 2);
  const b = order[left]!;
  return {
    groups: [[...order.slice(0, left), b].sort(byNumber), [b, ...order.slice(left + 1)].sort(byNumber)],
    bridge: b,
  };
}

/** One node alone, the rest together. */
export function isolate(node: number, n: number): number[][] {
  return [[node], range(n).filter((i) => i !== node)];
}

/** The largest minority, floor((n - 1) / 2) random nodes (at least one), sorted. */
export function randomMinority(n: number, rng: SeededRng): number[] {
  return rng.shuffle(range(n)).slice(0, Math.max(1, Math.floor((n - 1) / 2))).sort(byNumber);
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function byNumber(a: number, b: number): number {
  return a - b;
}

/*
 * Aimed shapes: a nemesis armed on a protocol event (`ctx.mark`) aims its fault at the node that
 * marked it, `marker`, away from the `peer` the mark names (the coordinator it answers), so the
 * fault cuts exactly the link the event made critical. The rest is drawn as usual.
 */

/** Halves with `marker` on the minority side and `peer` (when given) on the majority side. */
export function halvesApart(n: number, marker: number, peer: number | undefined, rng: SeededRng): number[][] {
  const cut = Math.floor(n / 2);
  if (cut === 0) return [range(n)];
  const rest = rng.shuffle(others(n, marker, peer));
  const minority = [marker, ...rest.slice(0, cut - 1)];
  const majority = [...rest.slice(cut - 1), ...(peer !== undefined && peer !== marker ? [peer] : [])];
  return [minority.sort(byNumber), majority.sort(byNumber)];
}

/** A bridge with `marker` and `peer` on opposite sides, neither of them the bridge. */
export function bridgeApart(n: number, marker: number, peer: number | undefined, rng: SeededRng): { groups: number[][]; bridge: number } {
  const left = Math.floor((n - 1) / 2);
  const rest = rng.shuffle(others(n, marker, peer));
  const leftSide = [marker, ...rest.splice(0, Math.max(0, left - 1))];
  const b = rest.shift();
  if (left === 0 || b === undefined) return bridge(n, rng);
  const rightSide = [...(peer !== undefined && peer !== marker ? [peer] : []), ...rest];
  return { groups: [[...leftSide, b].sort(byNumber), [b, ...rightSide].sort(byNumber)], bridge: b };
}

/** A majority ring on which `marker` does not hear `peer`: the peer sits just past its window. */
export function majorityRingApart(n: number, marker: number, peer: number | undefined, rng: SeededRng): { ring: number[]; views: number[][] } {
  const { majority, behind } = ringWindow(n);
  const ahead = majority - 1 - behind;
  if (peer === undefined || peer === marker || ahead + 1 >= n - behind) return majorityRing(n, rng);
  const ring = [marker, ...rng.shuffle(others(n, marker, peer))];
  ring.splice(ahead + 1, 0, peer);
  return { ring, views: ringViews(ring) };
}

/** The largest minority, holding `marker` and not `peer`. */
export function minorityWith(n: number, marker: number, peer: number | undefined, rng: SeededRng): number[] {
  const size = Math.max(1, Math.floor((n - 1) / 2));
  return [marker, ...rng.shuffle(others(n, marker, peer)).slice(0, size - 1)].sort(byNumber);
}

function others(n: number, marker: number, peer: number | undefined): number[] {
  return range(n).filter((i) => i !== marker && i !== peer);
}
