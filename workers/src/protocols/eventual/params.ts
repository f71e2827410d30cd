import { tunables } from '../tunables.js';

/**
 * The store's settings, all numbers so a run's `params` can carry them: the replication shape
 * (N, R, W, sloppy quorum, the resolve mode), its timers in ms of the node's own clock, and its
 * bounds. The run spec's `n`, `r`, `w`, `resolve` and `sloppyQuorum` fields set the first five.
 */
export interface EventualParams {
  /** Replicas per key (N), at most the cluster size. */
  n: number;
  /** Replies a read waits for (R), 1..N. */
  r: number;
  /** Acknowledgements a write waits for (W), 1..N. */
  w: number;
  /** 1: a sloppy quorum — the first N reachable nodes of the extended preference list, with hints; 0: only the N replicas count. */
  sloppyQuorum: number;
  /** 0: last writer wins by (timestamp, node); 1: version vectors, siblings returned to the client. */
  siblings: number;
  /** Tokens per node on the ring. */
  vnodes: number;
  /** Gossip period: every node pings every other one this often. */
  pingMs: number;
  /** A peer not heard from for this long is believed down. */
  suspectMs: number;
  /** A coordinator resends to targets that have not answered after this long. */
  retryMs: number;
  /** A coordinator gives up after this long: a read fails, a write completes `info`. */
  coordinateMs: number;
  /** A node that forwarded a request to a replica gives up on the answer after this long. */
  forwardMs: number;
  /** After answering a read, the coordinator waits this long for the other replicas before read repair. */
  repairWaitMs: number;
  /** Hinted handoff: a node tries to deliver the hints it holds this often. */
  handoffMs: number;
  /** Merkle anti-entropy: a node compares its tree with the next peer's this often. */
  antiEntropyMs: number;
  /** Hints delivered per handoff round, and keys shipped per anti-entropy message. */
  batchMax: number;
  /** Coordinations a node runs at once; beyond this a read fails and a write is refused. */
  inflightMax: number;
  /** Request ids a node remembers to drop a duplicate delivery. */
  requestsRememberedMax: number;
}

export const DEFAULT_EVENTUAL_PARAMS: Readonly<EventualParams> = {
  n: 3,
  r: 1,
  w: 1,
  sloppyQuorum: 1,
  siblings: 0,
  vnodes: 16,
  pingMs: 50,
  suspectMs: 200,
  retryMs: 100,
  coordinateMs: 500,
  forwardMs: 800,
  repairWaitMs: 100,
  handoffMs: 200,
  antiEntropyMs: 200,
  batchMax: 64,
  inflightMax: 1024,
  requestsRememberedMax: 4096,
};

/**
 * The defaults overridden by `NodeOptions.params`; unknown names, non-numbers and impossible
 * shapes (R or W above N, N above the cluster) are refused with the reason.
 */
export function eventualParams(overrides: Readonly<Record<string, number>> = {}, nodes?: number): EventualParams {
  const p = tunables('eventual', DEFAULT_EVENTUAL_PARAMS, overrides);
  for (const name of ['n', 'r', 'w', 'vnodes', 'pingMs', 'suspectMs', 'retryMs', 'coordinateMs', 'forwardMs', 'handoffMs', 'antiEntropyMs', 'batchMax', 'inflightMax', 'requestsRememberedMax'] as const) {
    if (p[name] < 1) throw new Error(`eventual: param ${name} must be ≥ 1, got ${p[name]}`);
  }
  for (const name of ['n', 'r', 'w', 'vnodes', 'batchMax', 'inflightMax', 'requestsRememberedMax'] as const) {
    if (!Number.isInteger(p[name])) throw new Error(`eventual: param ${name} must be an integer, got ${p[name]}`);
  }
  for (const name of ['sloppyQuorum', 'siblings'] as const) {
    if (p[name] !== 0 && p[name] !== 1) throw new Error(`eventual: param ${name} must be 0 or 1, got ${p[name]}`);
  }
  if (p.r > p.n) throw new Error(`eventual: r (${p.r}) must be at most n (${p.n})`);
  if (p.w > p.n) throw new Error(`eventual: w (${p.w}) must be at most n (${p.n})`);
  if (nodes !== undefined && p.n > nodes) throw new Error(`eventual: n (${p.n}) must be at most the cluster's ${nodes} nodes`);
  return p;
}

export const EVENTUAL_BUG_NAMES = ['no-anti-entropy'] as const;
export type EventualBugName = (typeof EVENTUAL_BUG_NAMES)[number];

/** Which deliberate bugs a node runs with. */
export interface EventualBugs {
  /** Merkle anti-entropy never runs: replicas a write missed stay behind unless a read repairs them. */
  noAntiEntropy: boolean;
}

export function eventualBugs(bug: string | undefined): EventualBugs {
  if (bug !== undefined && !(EVENTUAL_BUG_NAMES as readonly string[]).includes(bug)) {
    throw new Error(`eventual: unknown bug ${JSON.stringify(bug)} (known: ${EVENTUAL_BUG_NAMES.join(', ')})`);
  }
  return { noAntiEntropy: bug === 'no-anti-entropy' };
}
