import type { ClientReply, NodeId } from '../../sim/node-context.js';

/** A client operation as it travels through the log. */
export interface Command {
  /** The client request id: unique per run, so it also names the command for deduplication. */
  id: number;
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
  /** Ids of the most recently applied commands, oldest first. */
  recentIds: number[];
}

/**
 * The key-value store every replica runs, applying the chosen log in slot order. It is
 * deterministic and remembers the last `dedupeWindow` command ids: a command that reached the log
 * twice (a duplicated forward, a retry through a new leader) takes effect once.
 */
export class KvStateMachine {
  private readonly data = new Map<string, unknown>();
  private readonly recent: number[] = [];
  private recentHead = 0;
  private readonly recentSet = new Set<number>();
  /** The reply each recent command earned, so a second copy is answered like the first (not in snapshots). */
  private readonly replies = new Map<number, ClientReply>();

  constructor(private readonly dedupeWindow: number, snapshot?: KvSnapshot) {
    if (snapshot !== undefined) this.restore(snapshot);
  }

  /**
   * Applies a chosen command. A command applied before changes nothing and gets the first
   * application's reply (still a valid answer: that application fell inside the request's
   * lifetime), or `undefined` when this replica has not kept it (restored from a snapshot).
   */
  apply(command: Command): ClientReply | undefined {
    if (this.recentSet.has(command.id)) return this.replies.get(command.id);
    this.remember(command.id);
    const reply = this.execute(command.f, command.value);
    if (this.dedupeWindow > 0) this.replies.set(command.id, reply);
    return reply;
  }

  /** A read served outside the log (the master under a valid lease). */
  read(value: unknown): ClientReply {
    return this.execute('read', value);
  }

  snapshot(): KvSnapshot {
    const n = this.recent.length;
    const recentIds = n < this.dedupeWindow ? this.recent.slice() : [...this.recent.slice(this.recentHead), ...this.recent.slice(0, this.recentHead)];
    return { data: [...this.data.entries()], recentIds };
  }

  private restore(snapshot: KvSnapshot): void {
    for (const [k, v] of snapshot.data) this.data.set(k, v);
    for (const id of snapshot.recentIds) this.remember(id);
  }

  private remember(id: number): void {
    if (this.dedupeWindow <= 0) return;
    if (this.recent.length < this.dedupeWindow) {
      this.recent.push(id);
    } else {
      const evicted = this.recent[this.recentHead]!;
      this.recentSet.delete(evicted);
      this.replies.delete(evicted);
      this.recent[this.recentHead] = id;
      this.recentHead = (this.recentHead + 1) % this.dedupeWindow;
    }
    this.recentSet.add(id);
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
