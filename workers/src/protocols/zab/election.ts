import type { NodeId } from '../../sim/node-context.js';
import type { NotificationMessage, Vote } from './messages.js';

/**
 * Fast leader election, one server's side. A LOOKING voter proposes the best vote it has seen —
 * highest (epoch, last zxid, server id), so the winner's history holds every committed proposal
 * of any quorum that voted for it — and decides once a quorum of voters of its round agree and no
 * better vote arrives within the finalize wait. A server that hears from a quorum out of election
 * (following or leading) naming one leader joins it. With the bug `elect-lower-zxid`, votes
 * compare server ids only.
 */
export class Election {
  round = 0;
  vote: Vote;
  private readonly received = new Map<NodeId, Vote>();
  private readonly settled = new Map<NodeId, string>();

  constructor(
    private readonly self: NodeId,
    private readonly voters: readonly NodeId[],
    private readonly quorum: number,
    private readonly idsOnly: boolean,
    own: Vote,
  ) {
    this.vote = own;
  }

  /** A new round with this server's own vote. */
  restart(own: Vote): void {
    this.round++;
    this.vote = own;
    this.received.clear();
    this.settled.clear();
    if (this.voters.includes(this.self)) this.received.set(this.self, own);
  }

  better(a: Vote, b: Vote): boolean {
    if (!this.idsOnly) {
      if (a.epoch !== b.epoch) return a.epoch > b.epoch;
      if (a.zxid !== b.zxid) return a.zxid > b.zxid;
    }
    return a.leader > b.leader;
  }

  /**
   * A notification from `from` while this server is LOOKING. Returns whether this server's vote
   * changed (so it must announce it again) and whether the sender needs to hear this round.
   */
  onNotification(from: NodeId, m: NotificationMessage): { changed: boolean; answer: boolean } {
    if (m.state !== 'looking') {
      if (this.voters.includes(from)) this.settled.set(from, m.vote.leader);
      return { changed: false, answer: false };
    }
    if (!this.voters.includes(from)) return { changed: false, answer: true }; // An observer asking.
    if (m.round > this.round) {
      this.round = m.round;
      const own = this.received.get(this.self);
      this.received.clear();
      if (own !== undefined) this.received.set(this.self, own);
      const best = own !== undefined && this.better(own, m.vote) ? own : m.vote;
      this.vote = best;
      this.received.set(this.self, best);
      this.received.set(from, m.vote);
      return { changed: true, answer: false };
    }
    if (m.round < this.round) return { changed: false, answer: true };
    // Within a round a server's vote only gets better: a worse one from it is an old copy (a
    // duplicate, or overtaken on the way), and must not undo what it voted since.
    const known = this.received.get(from);
    if (known !== undefined && this.better(known, m.vote)) return { changed: false, answer: false };
    this.received.set(from, m.vote);
    if (this.better(m.vote, this.vote)) {
      this.vote = m.vote;
      if (this.voters.includes(this.self)) this.received.set(this.self, m.vote);
      return { changed: true, answer: false };
    }
    return { changed: false, answer: false };
  }

  /** True when a quorum of this round's votes agree with this server's vote. */
  hasQuorum(): boolean {
    let n = 0;
    for (const v of this.received.values()) if (sameVote(v, this.vote)) n++;
    return n >= this.quorum;
  }

  /** The leader a quorum of voters out of election follow, if any. */
  settledLeader(): string | undefined {
    const counts = new Map<string, number>();
    for (const leader of this.settled.values()) counts.set(leader, (counts.get(leader) ?? 0) + 1);
    for (const [leader, n] of counts) if (n >= this.quorum) return leader;
    return undefined;
  }
}

export function sameVote(a: Vote, b: Vote): boolean {
  return a.leader === b.leader && a.epoch === b.epoch && a.zxid === b.zxid;
}
