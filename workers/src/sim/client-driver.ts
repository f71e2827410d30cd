import type { EventHook } from './event-kinds.js';
import type { HistoryRecorder } from './history-recorder.js';
import type { ClientReply, ClientRequest } from './node-context.js';
import type { SeededRng } from './rng.js';
import type { ClientEndpoint, Simulator } from './simulator.js';

/** One operation a client issues; `value` is in the history format (DESIGN.md). */
export interface ClientOp {
  f: string;
  value: unknown;
}

/** Where client operations come from: a workload's stream, `undefined` when exhausted. */
export interface OpSource {
  /** The next operation, for `process` (a stream that keeps per-process order, like a lock's acquire then release, reads it). */
  next(process?: number): ClientOp | undefined;
}

export interface ClientOptions {
  clients: number;
  /** Processes per client, each with at most one operation outstanding. */
  concurrency: number;
  /** A request with no reply after this long completes `info` (virtual ms). */
  timeoutMs: number;
  /** Mean of the exponential pause between a process's operations (virtual ms). */
  thinkMsMean: number;
  /** `pinned`: client c always talks to entry node c mod k; `roaming`: a random entry node per op. */
  routing: 'pinned' | 'roaming';
  /** Node indices clients may talk to. */
  entryNodes: readonly number[];
  /** Clients are grouped into this many users (for per-user guarantees). Default ceil(clients / 2). */
  users?: number;
  /** For `pinned` routing: the node index a client sends an operation to, when the protocol places keys (see ProtocolDefinition.pinnedNode). */
  pinnedNode?: (op: ClientOp, client: number) => number;
}

interface Outstanding {
  slot: number;
  process: number;
  f: string;
  value: unknown;
  node: number;
  /** A final read: phase "final", no session, and its process issues nothing after it. */
  final: boolean;
}

const ISSUE = 1;
const TIMEOUT = 2;

/**
 * Jepsen's clients: `clients × concurrency` processes, each issuing one operation at a time from
 * a shared stream, pausing between operations. A timeout or an indeterminate reply completes the
 * operation `info`, and the process continues under a fresh id (id + total processes): a process
 * that got `info` issues nothing more.
 */
export class ClientDriver implements ClientEndpoint, EventHook {
  private readonly processes: number[];
  private readonly parked: boolean[];
  private readonly outstanding = new Map<number, Outstanding>();
  private readonly rngs: SeededRng[];
  private readonly users: number;
  private readonly sessionNames: readonly string[];
  private readonly userNames: readonly string[];
  private source: OpSource | undefined;
  private quota = 0;
  private onAllIssued: (() => void) | undefined;
  private onDrained: (() => void) | undefined;
  private nextRequestId = 1;
  private nextFinalProcess = -1;
  /** Completed client operations (ok, fail, info), all phases. */
  completed = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly recorder: HistoryRecorder,
    rng: SeededRng,
    private readonly options: Readonly<ClientOptions>,
  ) {
    const total = options.clients * options.concurrency;
    this.processes = Array.from({ length: total }, (_, i) => i);
    this.parked = this.processes.map(() => true);
    this.rngs = Array.from({ length: options.clients }, (_, c) => rng.fork(`client:${c}`));
    this.users = options.users ?? Math.ceil(options.clients / 2);
    this.sessionNames = Array.from({ length: options.clients }, (_, c) => `c${c}`);
    this.userNames = Array.from({ length: options.clients }, (_, c) => `u${c % this.users}`);
    if (options.entryNodes.length === 0) throw new RangeError('clients need at least one entry node');
  }

  /**
   * Issues up to `quota` more operations from `source`. Idle processes wake up; `onAllIssued`
   * runs when the last one is invoked, `onDrained` when moreover every operation has completed.
   */
  begin(source: OpSource, quota: number, on: { onAllIssued?: () => void; onDrained?: () => void } = {}): void {
    this.source = source;
    this.quota = quota;
    this.onAllIssued = on.onAllIssued;
    this.onDrained = on.onDrained;
    if (quota === 0) {
      this.onAllIssued?.();
      this.checkDrained();
      return;
    }
    for (let slot = 0; slot < this.processes.length; slot++) {
      if (!this.parked[slot]) continue;
      this.parked[slot] = false;
      this.sim.hookAfter(this.think(slot), this, ISSUE, slot);
    }
  }

  /**
   * Issues each read at once from a fresh process, marked `phase: "final"`; `onDrained` runs
   * when all have completed.
   */
  finalReads(reads: readonly { node: number; f: string; value: unknown }[], onDrained?: () => void): void {
    this.quota = 0;
    this.onAllIssued = undefined;
    this.onDrained = onDrained;
    if (this.nextFinalProcess < 0) this.nextFinalProcess = Math.max(...this.processes) + 1;
    for (const r of reads) this.invoke(-1, this.nextFinalProcess++, r.f, r.value, r.node, true);
    this.checkDrained();
  }

  onEvent(code: number, arg: number): void {
    if (code === ISSUE) this.issue(arg);
    else this.timeout(arg);
  }

  onReply(requestId: number, node: number, reply: ClientReply): void {
    const o = this.outstanding.get(requestId);
    if (o === undefined) return; // Timed out first: the client already recorded info.
    this.outstanding.delete(requestId);
    // Fields written out rather than spread from a common part: this runs once per operation.
    const peer = this.sim.peers[node]!;
    const session = this.sessionName(o);
    const user = this.userName(o);
    const phase = o.final ? 'final' : undefined;
    if (reply.type === 'ok') {
      this.recorder.record({ process: o.process, f: o.f, node: peer, session, user, phase, type: 'ok', value: reply.value === undefined ? o.value : reply.value });
    } else if (reply.type === 'fail') {
      this.recorder.record({ process: o.process, f: o.f, node: peer, session, user, phase, type: 'fail', value: reply.value === undefined ? o.value : reply.value, error: reply.error });
    } else {
      this.recorder.record({ process: o.process, f: o.f, node: peer, session, user, phase, type: 'info', value: o.value, error: reply.error ?? 'indeterminate' });
    }
    this.finish(o, reply.type === 'info');
  }

  private issue(slot: number): void {
    const op = this.quota > 0 ? this.source?.next(this.processes[slot]!) : undefined;
    if (op === undefined) {
      this.parked[slot] = true;
      if (this.quota > 0) this.spend(this.quota); // The source ran dry before the quota.
      return;
    }
    const client = this.clientOf(slot);
    const entries = this.options.entryNodes;
    const pinned = this.options.pinnedNode;
    const node = this.options.routing === 'roaming' ? this.rngs[client]!.pick(entries) : pinned !== undefined ? pinned(op, client) : entries[client % entries.length]!;
    this.invoke(slot, this.processes[slot]!, op.f, op.value, node, false);
    this.spend(1);
  }

  private spend(n: number): void {
    this.quota -= n;
    if (this.quota !== 0) return;
    const callback = this.onAllIssued;
    this.onAllIssued = undefined;
    callback?.();
    this.checkDrained();
  }

  private checkDrained(): void {
    if (this.quota !== 0 || this.outstanding.size !== 0 || this.onDrained === undefined) return;
    const callback = this.onDrained;
    this.onDrained = undefined;
    callback();
  }

  private invoke(slot: number, process: number, f: string, value: unknown, node: number, final: boolean): void {
    const id = this.nextRequestId++;
    const o: Outstanding = { slot, process, f, value, node, final };
    this.outstanding.set(id, o);
    this.recorder.record({ process, type: 'invoke', f, value, node: this.sim.peers[node]!, session: this.sessionName(o), user: this.userName(o), phase: final ? 'final' : undefined });
    const request: ClientRequest = final ? { id, f, value, process, final: true } : { id, f, value, process };
    this.sim.submit(node, request);
    this.sim.hookAfter(this.options.timeoutMs, this, TIMEOUT, id);
  }

  private timeout(requestId: number): void {
    const o = this.outstanding.get(requestId);
    if (o === undefined) return;
    this.outstanding.delete(requestId);
    this.sim.forget(requestId);
    this.recorder.record({ process: o.process, type: 'info', f: o.f, value: o.value, node: this.sim.peers[o.node]!, session: this.sessionName(o), user: this.userName(o), phase: o.final ? 'final' : undefined, error: 'timeout' });
    this.finish(o, true);
  }

  private finish(o: Outstanding, indeterminate: boolean): void {
    this.completed++;
    if (!o.final) {
      if (indeterminate) this.processes[o.slot] = this.processes[o.slot]! + this.processes.length;
      this.sim.hookAfter(this.think(o.slot), this, ISSUE, o.slot);
    }
    this.checkDrained();
  }

  /** The operation's session and user in the history (none for a final read, whose phase is `final`). */
  private sessionName(o: Outstanding): string | undefined {
    return o.final ? undefined : this.sessionNames[this.clientOf(o.slot)];
  }

  private userName(o: Outstanding): string | undefined {
    return o.final ? undefined : this.userNames[this.clientOf(o.slot)];
  }

  private clientOf(slot: number): number {
    return Math.floor(slot / this.options.concurrency);
  }

  private think(slot: number): number {
    return this.rngs[this.clientOf(slot)]!.exponential(this.options.thinkMsMean);
  }
}
