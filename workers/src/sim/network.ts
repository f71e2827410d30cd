import { EVENT } from './event-kinds.js';
import type { SeededRng } from './rng.js';
import type { Scheduler } from './scheduler.js';

/**
 * How the simulated network treats node-to-node messages. Latency is VOPR-style: a minimum plus
 * an exponential tail, capped. Independent per-message latencies already reorder messages; the
 * reorder knob adds rarer, longer holds on top. Loss and duplication are off by default; the
 * nemesis's partitions drop messages anyway, so protocols must retry in any case.
 */
export interface NetworkOptions {
  latencyMsMin: number;
  /** Mean one-way latency (≥ min); the excess over the minimum is exponential. */
  latencyMsMean: number;
  /** Cap on one-way latency before any reorder hold. */
  latencyMsMax: number;
  lossProbability: number;
  duplicateProbability: number;
  /** Probability that a message is held back an extra uniform delay up to `reorderDelayMsMax`. */
  reorderProbability: number;
  reorderDelayMsMax: number;
}

export const NETWORK_DEFAULTS: Readonly<NetworkOptions> = {
  latencyMsMin: 1,
  latencyMsMean: 3,
  latencyMsMax: 40,
  lossProbability: 0,
  duplicateProbability: 0,
  reorderProbability: 0,
  reorderDelayMsMax: 50,
};

/** Message counters. Every sent message ends delivered or in exactly one `dropped*` counter. */
export interface NetworkStats {
  sent: number;
  /** Extra copies the network made (each is delivered or dropped like any message). */
  duplicated: number;
  delivered: number;
  droppedLoss: number;
  /** Dropped because a partition separated sender and receiver at send or at delivery time. */
  droppedPartition: number;
  /** Arrived at a crashed node. */
  droppedDown: number;
}

export class Network {
  readonly stats: NetworkStats = { sent: 0, duplicated: 0, delivered: 0, droppedLoss: 0, droppedPartition: 0, droppedDown: 0 };
  /** blocked[from * n + to] = 1: `to` does not hear `from`. */
  private readonly blocked: Uint8Array;
  private readonly latencyTailMean: number;

  constructor(
    private readonly nodeCount: number,
    private readonly options: Readonly<NetworkOptions>,
    private readonly rng: SeededRng,
    private readonly scheduler: Scheduler,
  ) {
    validateNetworkOptions(options);
    this.blocked = new Uint8Array(nodeCount * nodeCount);
    this.latencyTailMean = options.latencyMsMean - options.latencyMsMin;
  }

  /** Puts a message on the wire: it is dropped, or scheduled for delivery (maybe twice). */
  send(from: number, to: number, payload: unknown): void {
    this.stats.sent++;
    if (this.blocked[from * this.nodeCount + to] === 1) {
      this.stats.droppedPartition++;
      return;
    }
    if (this.rng.chance(this.options.lossProbability)) {
      this.stats.droppedLoss++;
      return;
    }
    this.scheduler.after(this.latencyMs(), EVENT.deliver, to, from, 0, payload);
    if (this.rng.chance(this.options.duplicateProbability)) {
      this.stats.duplicated++;
      this.scheduler.after(this.latencyMs(), EVENT.deliver, to, from, 0, payload);
    }
  }

  /**
   * At delivery time: may the message reach its receiver? A partition that began while it was in
   * flight drops it (iptables drops on arrival, too). Counts the drop.
   */
  admits(from: number, to: number): boolean {
    if (this.blocked[from * this.nodeCount + to] === 1) {
      this.stats.droppedPartition++;
      return false;
    }
    return true;
  }

  /** One draw from the latency distribution, in ms. */
  latencyMs(): number {
    const o = this.options;
    let delay = o.latencyMsMin + (this.latencyTailMean > 0 ? this.rng.exponential(this.latencyTailMean) : 0);
    if (delay > o.latencyMsMax) delay = o.latencyMsMax;
    if (this.rng.chance(o.reorderProbability)) delay += this.rng.uniform(0, o.reorderDelayMsMax);
    return delay;
  }

  canReach(from: number, to: number): boolean {
    return this.blocked[from * this.nodeCount + to] === 0;
  }

  /** Nodes talk iff some group holds both; a node in no group hears only itself. */
  partitionGroups(groups: readonly (readonly number[])[]): void {
    const n = this.nodeCount;
    this.blocked.fill(1);
    for (let i = 0; i < n; i++) this.blocked[i * n + i] = 0;
    for (const group of groups) {
      for (const a of group) for (const b of group) this.blocked[a * n + b] = 0;
    }
  }

  /** Directed reachability: node `i` hears exactly the nodes in `views[i]` (and itself). */
  partitionViews(views: readonly (readonly number[])[]): void {
    const n = this.nodeCount;
    this.blocked.fill(1);
    for (let to = 0; to < n; to++) {
      this.blocked[to * n + to] = 0;
      for (const from of views[to] ?? []) this.blocked[from * n + to] = 0;
    }
  }

  heal(): void {
    this.blocked.fill(0);
  }
}

function validateNetworkOptions(o: Readonly<NetworkOptions>): void {
  const bad = (field: string, why: string): never => {
    throw new RangeError(`network.${field} ${why}`);
  };
  if (!(o.latencyMsMin >= 0)) bad('latencyMsMin', `must be ≥ 0, got ${o.latencyMsMin}`);
  if (!(o.latencyMsMean >= o.latencyMsMin)) bad('latencyMsMean', `must be ≥ latencyMsMin (${o.latencyMsMin}), got ${o.latencyMsMean}`);
  if (!(o.latencyMsMax >= o.latencyMsMean)) bad('latencyMsMax', `must be ≥ latencyMsMean (${o.latencyMsMean}), got ${o.latencyMsMax}`);
  for (const p of ['lossProbability', 'duplicateProbability', 'reorderProbability'] as const) {
    if (!(o[p] >= 0 && o[p] <= 1)) bad(p, `must be a probability in [0, 1], got ${o[p]}`);
  }
  if (!(o.reorderDelayMsMax >= 0)) bad('reorderDelayMsMax', `must be ≥ 0, got ${o.reorderDelayMsMax}`);
}
