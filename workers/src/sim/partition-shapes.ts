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
  const majority = Math.floor(n / 2) + 1;
  const behind = Math.floor((majority - 1) / 2);
  const views: number[][] = range(n).map(() => []);
  for (let p = 0; p < n; p++) {
    const seen: number[] = [];
    for (let k = -behind; k < majority - behind; k++) seen.push(ring[(p + k + n) % n]!);
    views[ring[p]!] = seen.sort(byNumber);
  }
  return { ring, views };
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
