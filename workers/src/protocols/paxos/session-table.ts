import type { ClientReply } from '../../sim/node-context.js';

/**
 * One client's session: the highest request number the state machine applied for it, and the
 * reply it earned. A client has one request outstanding at a time (Jepsen's process), and its
 * request numbers grow, so this one entry is all exactly-once needs (Chubby; Raft's client
 * sessions, Ongaro's thesis §6.3).
 */
interface Session {
  lastRequest: number;
  reply: ClientReply;
}

/** A session as snapshots carry it: `[client, lastRequest, reply]`. */
export type SessionEntry = [client: number, lastRequest: number, reply: ClientReply];

/** The session table in a snapshot: least recently used first, and the expiry floor. */
export interface SessionsSnapshot {
  sessions: SessionEntry[];
  expiredUpTo: number;
}

/** What the table says about a command, before it is executed. */
export type Admission =
  /** A request never applied: execute it, then `record` its reply. */
  | { kind: 'new' }
  /** The request last applied for this client: answer with the reply it earned, change nothing. */
  | { kind: 'repeat'; reply: ClientReply }
  /** Older than what was applied for this client, or its session expired: change nothing, answer nothing. */
  | { kind: 'stale' };

/**
 * The replicated state machine's memory of each client, so a command that reaches the log twice
 * (a duplicated forward, a retry through a new leader, a leader re-proposing what its quorum
 * accepted) takes effect once however far apart the copies are. It changes only as commands are
 * applied, in log order, so every replica holds the same table; it is part of each snapshot.
 *
 * Bounded: beyond `sessionsMax` the session used least recently expires, and every request number
 * up to the highest one an expired session applied is refused from a client without a session
 * (Raft answers SESSION_EXPIRED). Refused commands are not answered (the client times out into
 * `info`): a copy of one may have been applied before its session expired, so `fail` could be a lie.
 */
export class SessionTable {
  /** In least-recently-applied order (a Map keeps insertion order; a use re-inserts). */
  private readonly sessions = new Map<number, Session>();
  /** Request numbers up to here may belong to an expired session: never executed again. */
  private expiredUpTo = 0;

  constructor(private readonly sessionsMax: number, snapshot?: SessionsSnapshot) {
    if (sessionsMax < 1) throw new RangeError(`paxos: sessionsMax must be ≥ 1, got ${sessionsMax}`);
    if (snapshot !== undefined) {
      for (const [client, lastRequest, reply] of snapshot.sessions) this.sessions.set(client, { lastRequest, reply });
      this.expiredUpTo = snapshot.expiredUpTo;
    }
  }

  admit(client: number, request: number): Admission {
    const session = this.sessions.get(client);
    if (session === undefined) return request > this.expiredUpTo ? { kind: 'new' } : { kind: 'stale' };
    if (request > session.lastRequest) return { kind: 'new' };
    if (request === session.lastRequest) return { kind: 'repeat', reply: session.reply };
    return { kind: 'stale' };
  }

  /** Records the reply a newly executed request earned; expires the least recently used session beyond the bound. */
  record(client: number, request: number, reply: ClientReply): void {
    this.sessions.delete(client);
    this.sessions.set(client, { lastRequest: request, reply });
    if (this.sessions.size <= this.sessionsMax) return;
    const [oldest, expired] = this.sessions.entries().next().value!;
    this.sessions.delete(oldest);
    this.expiredUpTo = Math.max(this.expiredUpTo, expired.lastRequest);
  }

  get size(): number {
    return this.sessions.size;
  }

  snapshot(): SessionsSnapshot {
    const sessions: SessionEntry[] = [];
    for (const [client, s] of this.sessions) sessions.push([client, s.lastRequest, s.reply]);
    return { sessions, expiredUpTo: this.expiredUpTo };
  }
}
