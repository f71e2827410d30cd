import type { ClientReply, NodeId } from '../../sim/node-context.js';
import { SessionTable, type SessionsSnapshot } from './session-table.js';

/** A client operation as it travels through the log. */
export interface Command {
  /** The client request id: unique per run and growing per client, so it numbers the client's requests. */
  id: number;
  /** The client (its process in the history): with `id`, what makes a command applied at most once. */
  client: number;
  /** The node the client sent it to; that node answers the client. */
  origin: NodeId;
  f: string;
  /** The request value as the history has it: `[key, v]`, or `[key, [expected, new]]` for cas. */
  value: unknown;
}

/** What one log slot decides: a batch of commands; an empty batch is the no-op that fills a gap. */
export type SlotValue = readonly Command[];

export const NOOP: SlotValue = [];

/** The replicated state, small enough to ship whole (snapshots, catch-up). */
export interface KvSnapshot {
  data: [string, unknown][];
  /** Each client's last applied request and its reply: exactly-once survives snapshots and catch-up. */
  sessions: SessionsSnapshot;
}

/**
 * The key-value store every replica runs, applying the chosen log in slot order. It is
 * deterministic and keeps a session per client (the client's last applied request number and
 * reply), so a command that reached the log twice, however far apart, takes effect once.
 */
export class KvStateMachine {
  private readonly data = new Map<string, unknown>();
  private readonly sessions: SessionTable;

  constructor(sessionsMax: number, snapshot?: KvSnapshot) {
    this.sessions = new SessionTable(sessionsMax, snapshot?.sessions);
    if (snapshot !== undefined) for (const [k, v] of snapshot.data) this.data.set(k, v);
  }

  /**
   * Applies a chosen command. A command applied before changes nothing and gets the first
   * application's reply (still a valid answer: that application fell inside the request's
   * lifetime); a command older than its client's last one, or from an expired session, changes
   * nothing and gets `undefined` (no answer: its client has moved on, or times out).
   */
  apply(command: Command): ClientReply | undefined {
    const admission = this.sessions.admit(command.client, command.id);
    if (admission.kind === 'repeat') return admission.reply;
    if (admission.kind === 'stale') return undefined;
    const reply = this.execute(command.f, command.value);
    this.sessions.record(command.client, command.id, reply);
    return reply;
  }

  /** A read served outside the log (the master under a valid lease). */
  read(value: unknown): ClientReply {
    return this.execute('read', value);
  }

  snapshot(): KvSnapshot {
    return { data: [...this.data.entries()], sessions: this.sessions.snapshot() };
  }

  private execute(f: string, value: unknown): ClientReply {
    if (!Array.isArray(value) || value.length !== 2) return { type: 'fail', error: 'bad-request' };
    const [key, arg] = value as [unknown, unknown];
    const slot = keyName(key);
    const current = this.data.has(slot) ? this.data.get(slot) : null;
    switch (f) {
      case 'read':
        return { type: 'ok', value: [key, current] };
      case 'write':
        this.data.set(slot, arg);
        return { type: 'ok', value: [key, arg] };
      case 'cas': {
        if (!Array.isArray(arg) || arg.length !== 2) return { type: 'fail', error: 'bad-request' };
        if (!sameValue(current, arg[0])) return { type: 'fail', error: 'cas-mismatch' };
        this.data.set(slot, arg[1]);
        return { type: 'ok', value: [key, arg] };
      }
      default:
        return { type: 'fail', error: `unknown-operation ${f}` };
    }
  }
}

/** Keys as the kv model groups them: strings as they are, anything else by its JSON. */
function keyName(key: unknown): string {
  return typeof key === 'string' ? key : JSON.stringify(key);
}

function sameValue(a: unknown, b: unknown): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (x === y) return true;
  if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
  return JSON.stringify(x) === JSON.stringify(y);
}
