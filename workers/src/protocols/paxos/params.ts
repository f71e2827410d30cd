import { tunables } from '../tunables.js';

/**
 * Tunables of a Paxos node, in milliseconds of the node's own clock, and the named bugs.
 * Every field can be overridden through `NodeOptions.params`; every queue and window is bounded.
 */
export interface PaxosParams {
  /** Leader heartbeat period; each heartbeat is also a lease renewal round. */
  heartbeatMs: number;
  /** A follower that has heard no leader for this long starts an election. */
  electionTimeoutMs: number;
  /** Extra random wait (ctx.rng) before an election, so candidates rarely duel. */
  electionJitterMs: number;
  /** Master lease granted by each acceptor, on the acceptor's clock; 0 disables lease reads. */
  leaseMs: number;
  /**
   * ε: the assumed bound on how much two nodes' clocks may disagree about one lease interval
   * (rate drift over the lease plus any offset step). The master ends its lease this much early
   * and a new master waits this much longer than the longest old lease it was told of.
   */
  driftMarginMs: number;
  /** Phase 2 messages not acknowledged within this long are sent again. */
  retryMs: number;
  /** Slots a leader may have in flight (proposed, not yet chosen). */
  windowSlotsMax: number;
  /** Commands packed into one slot. */
  batchMax: number;
  /** Client commands a leader queues while its window is full or it is not serving yet. */
  queueMax: number;
  /** A snapshot of the state machine every this many applied slots; older slots are dropped. */
  snapshotEverySlots: number;
  /** Chosen slots sent per catch-up reply. */
  catchUpBatchMax: number;
  /** Client requests a node remembers, to answer them and to drop duplicate deliveries. */
  requestsRememberedMax: number;
  /**
   * Client sessions the state machine keeps (each client's last request number and reply), so a
   * command that reaches the log twice applies once; beyond it the least recently used expires.
   */
  sessionsMax: number;
  /** Times a request may be forwarded between nodes looking for the leader. */
  forwardHopsMax: number;
}

export const DEFAULT_PAXOS_PARAMS: Readonly<PaxosParams> = {
  heartbeatMs: 50,
  electionTimeoutMs: 300,
  electionJitterMs: 200,
  leaseMs: 400,
  driftMarginMs: 100,
  retryMs: 100,
  windowSlotsMax: 16,
  batchMax: 64,
  queueMax: 2048,
  snapshotEverySlots: 256,
  catchUpBatchMax: 256,
  requestsRememberedMax: 4096,
  sessionsMax: 4096,
  forwardHopsMax: 2,
};

/** What the run promises about clocks (NodeOptions.clock). */
export interface ClockBounds {
  driftPpmMax: number;
  jumpMsMax: number;
}

/**
 * The smallest safe ε for a lease of `leaseMs` under these clock bounds. The master's clock may
 * run slow by ρ and an acceptor's fast by ρ, so the master's lease of L − ε lasts up to
 * (L − ε)/(1 − ρ) real ms while the grant lasts at least L/(1 + ρ): safe when
 * ε ≥ L·2ρ/(1 + ρ). A step of either clock (up to `jumpMsMax` each way) adds twice the step.
 */
export function driftMarginFor(leaseMs: number, clock: ClockBounds): number {
  const rho = clock.driftPpmMax / 1e6;
  return Math.ceil((leaseMs * 2 * rho) / (1 + rho) + 2 * clock.jumpMsMax) + 1;
}

/**
 * The defaults overridden by `NodeOptions.params`; unknown names are rejected (a typo is a silent
 * no-op otherwise). Without an explicit `driftMarginMs`, ε is sized from the run's clock bounds.
 */
export function paxosParams(overrides: Readonly<Record<string, number>> = {}, clock?: ClockBounds): PaxosParams {
  const params = tunables('paxos', DEFAULT_PAXOS_PARAMS, overrides);
  if (clock !== undefined && overrides.driftMarginMs === undefined) params.driftMarginMs = driftMarginFor(params.leaseMs, clock);
  for (const name of ['heartbeatMs', 'electionTimeoutMs', 'retryMs', 'windowSlotsMax', 'batchMax', 'queueMax', 'snapshotEverySlots', 'catchUpBatchMax', 'sessionsMax'] as const) {
    if (params[name] < 1) throw new Error(`paxos: param ${name} must be ≥ 1, got ${params[name]}`);
  }
  return params;
}

export const PAXOS_BUG_NAMES = ['forget-highest-accepted', 'no-quorum-intersection', 'lease-without-drift-margin'] as const;
export type PaxosBugName = (typeof PAXOS_BUG_NAMES)[number];

/** Which deliberate bugs a node runs with. */
export interface PaxosBugs {
  /** Phase 1 ignores the accepted values the quorum reports and proposes no-ops instead. */
  forgetHighestAccepted: boolean;
  /** Quorums of ⌊n/2⌋: two of them need not intersect. */
  noQuorumIntersection: boolean;
  /** The lease arithmetic assumes perfect clocks: no ε anywhere. */
  leaseWithoutDriftMargin: boolean;
}

export function paxosBugs(bug: string | undefined): PaxosBugs {
  if (bug !== undefined && !(PAXOS_BUG_NAMES as readonly string[]).includes(bug)) {
    throw new Error(`paxos: unknown bug ${JSON.stringify(bug)} (known: ${PAXOS_BUG_NAMES.join(', ')})`);
  }
  return {
    forgetHighestAccepted: bug === 'forget-highest-accepted',
    noQuorumIntersection: bug === 'no-quorum-intersection',
    leaseWithoutDriftMargin: bug === 'lease-without-drift-margin',
  };
}

/** A majority, or with the bug one node short of it (⌊n/2⌋, at least 1). */
export function quorumSize(nodes: number, bugs: PaxosBugs): number {
  return bugs.noQuorumIntersection ? Math.max(1, Math.floor(nodes / 2)) : Math.floor(nodes / 2) + 1;
}
