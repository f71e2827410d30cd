import type { NodeId } from '../../sim/node-context.js';

/*
 * Chubby-style master leases, as arithmetic on each node's own clock. All times are `ctx.now()`
 * readings of the node doing the sum; nothing here compares two nodes' clocks.
 *
 * Why it is safe: the master starts timing its lease when it SENDS the renewal, before any
 * acceptor starts timing its grant on receipt, so with equal clock rates the master's lease ends
 * first. ε (`marginMs`) covers clocks that disagree about the length of one interval: the master
 * ends ε early, and a new master told of a grant it cannot rule out waits ε longer than it.
 */

/** When the master's lease ends, on its clock: it was sent at `sentAtMs` and a quorum granted it. */
export function holderLeaseEndMs(sentAtMs: number, leaseMs: number, marginMs: number): number {
  return sentAtMs + leaseMs - marginMs;
}

/** When an acceptor's grant ends, on its clock: it was received at `receivedAtMs`. */
export function grantLeaseEndMs(receivedAtMs: number, leaseMs: number): number {
  return receivedAtMs + leaseMs;
}

/**
 * When a new master may serve, on its clock: after the longest old lease its quorum could not
 * rule out (`remainingMs`, reported by acceptors that lost their memory of grants in a crash),
 * plus ε.
 */
export function newMasterServeAtMs(electedAtMs: number, remainingMs: number, marginMs: number): number {
  return electedAtMs + Math.max(0, remainingMs) + marginMs;
}

/**
 * The acceptor's side: after granting a lease, it promises no other node until the grant ends on
 * its own clock. After a restart it cannot remember what it granted, so until one lease length
 * has passed it reports the time left to any candidate, which must wait it out.
 */
export class LeaseGrantor {
  private holder: NodeId | undefined;
  private untilMs = -Infinity;
  private readonly amnesiaUntilMs: number;

  constructor(private readonly leaseMs: number, startedAtMs: number, restarted: boolean) {
    this.amnesiaUntilMs = restarted && leaseMs > 0 ? startedAtMs + leaseMs : -Infinity;
  }

  grant(holder: NodeId, nowMs: number): void {
    if (this.leaseMs <= 0) return;
    this.holder = holder;
    this.untilMs = grantLeaseEndMs(nowMs, this.leaseMs);
  }

  /** How long promising `candidate` would still break a lease granted to another node; 0 when it would not. */
  blocksForMs(candidate: NodeId, nowMs: number): number {
    return this.holder !== undefined && this.holder !== candidate && nowMs < this.untilMs ? this.untilMs - nowMs : 0;
  }

  /** Time left of a lease this acceptor may have granted before it restarted. */
  forgottenRemainingMs(nowMs: number): number {
    return Math.max(0, this.amnesiaUntilMs - nowMs);
  }
}

/** One renewal round of the master: when it was sent and who granted it. */
interface RenewalRound {
  round: number;
  sentAtMs: number;
  grants: Set<NodeId>;
}

const ROUNDS_TRACKED_MAX = 8;

/**
 * The master's side: renewal rounds (heartbeats) and the lease they earned. A round counts once
 * a quorum, the master included, granted it; the lease then runs from the round's send time.
 */
export class LeaseHolder {
  private endMs = -Infinity;
  private nextRound = 1;
  private readonly rounds: RenewalRound[] = [];

  constructor(private readonly leaseMs: number, private readonly marginMs: number, private readonly quorum: number) {}

  /** Starts a renewal round sent now; returns its number for the heartbeat. */
  startRound(sentAtMs: number): number {
    const round = this.nextRound++;
    this.rounds.push({ round, sentAtMs, grants: new Set() });
    if (this.rounds.length > ROUNDS_TRACKED_MAX) this.rounds.shift();
    return round;
  }

  /** Records a grant; when it completes the round's quorum, returns the round's send time. */
  granted(round: number, from: NodeId): number | undefined {
    const r = this.rounds.find((x) => x.round === round);
    if (r === undefined || r.grants.has(from)) return undefined;
    r.grants.add(from);
    if (r.grants.size !== this.quorum) return undefined;
    if (this.leaseMs > 0) this.endMs = Math.max(this.endMs, holderLeaseEndMs(r.sentAtMs, this.leaseMs, this.marginMs));
    return r.sentAtMs;
  }

  valid(nowMs: number): boolean {
    return nowMs < this.endMs;
  }

  get leaseEndMs(): number {
    return this.endMs;
  }
}
