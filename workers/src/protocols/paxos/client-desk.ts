import type { ClientReply, ClientRequest, NodeContext, NodeId } from '../../sim/node-context.js';
import type { Command } from './kv-state-machine.js';
import type { ForwardMessage, NotLeaderMessage, PaxosMessage, ResultMessage } from './messages.js';
import type { PaxosParams } from './params.js';
import { RequestTable } from './request-table.js';

export const FAIL_READ: ClientReply = { type: 'fail', error: 'not-served' };

/** What the desk needs from its node. */
export interface DeskNode {
  /** The leader this node believes in (itself when it leads), if any. */
  readonly leaderId: NodeId | undefined;
  /** True while this node leads a term. */
  leading(): boolean;
  /** Hands a command to this node's term (it leads). */
  lead(command: Command): void;
}

/**
 * The client side of one node. Clients may ask any node: the node that received a request (its
 * entry node) answers it. A non-leader forwards to the leader it knows; while no leader is known
 * it parks the request a bounded while, and fails it only if it never left the node. A command
 * forwarded to a leader that then vanished is sent again to the next one: the state machine
 * applies a client's request once (its session table), so a second copy is harmless, and a write is never failed once it
 * has left, since some copy may still take effect.
 */
export class ClientDesk {
  private readonly requests: RequestTable;
  private parked: [Command, number][] = [];

  constructor(private readonly ctx: NodeContext, private readonly params: PaxosParams, private readonly node: DeskNode) {
    this.requests = new RequestTable(params.requestsRememberedMax);
  }

  onClientRequest(request: ClientRequest): void {
    if (!this.requests.firstSeen(request.id)) return;
    const command: Command = { id: request.id, client: request.process, origin: this.ctx.id, f: request.f, value: request.value };
    this.requests.owe(command);
    this.route(command, 0);
  }

  onForward(m: ForwardMessage): void {
    if (this.requests.firstSeen(m.command.id)) this.route(m.command, m.hops);
  }

  onResult(m: ResultMessage): void {
    if (this.requests.take(m.id)) this.ctx.reply(m.id, m.reply);
  }

  onNotLeader(m: NotLeaderMessage): void {
    // Only a read can be failed here: a write may yet be applied through another copy.
    if (this.requests.operationOf(m.id) === 'read' && this.requests.take(m.id)) this.ctx.reply(m.id, FAIL_READ);
  }

  /** Answers a command: to the client when this is its entry node, else back to the entry node. */
  answer(command: Command, reply: ClientReply): void {
    if (command.origin !== this.ctx.id) this.send(command.origin, { type: 'result', id: command.id, reply });
    else if (this.requests.take(command.id)) this.ctx.reply(command.id, reply);
  }

  /**
   * The term that held `command` ended before answering it. The entry node tries again through
   * the next leader (a copy that reaches the log twice applies once, and is answered from the
   * first application); elsewhere a read is failed and a write left to its entry node, which
   * sends it again when it learns the next leader.
   */
  orphaned(command: Command): void {
    if (command.origin === this.ctx.id) {
      this.requests.sentTo(command.id, this.ctx.id); // It may be in the log already: never fail a write now.
      this.route(command, 0);
    } else if (command.f === 'read') this.send(command.origin, { type: 'not-leader', id: command.id });
  }

  /**
   * A new leader is known: parked commands go on their way, and commands forwarded to an earlier
   * leader are sent again (it may be dead).
   */
  onNewLeader(leader: NodeId): void {
    for (const command of this.requests.sentElsewhere(leader)) this.route(command, 0);
    if (this.parked.length === 0) return;
    const parked = this.parked;
    this.parked = [];
    for (const [command] of parked) this.route(command, 0);
  }

  /** The `parked` timer: fails what waited too long for a leader. */
  expireParked(): void {
    const now = this.ctx.now();
    const waitMs = this.parkedWaitMs();
    const keep: [Command, number][] = [];
    // A millisecond of slack: a timer due at exactly the deadline may read a clock a hair short of it.
    for (const entry of this.parked) {
      if (now - entry[1] >= waitMs - 1) this.failUnsent(entry[0]);
      else keep.push(entry);
    }
    this.parked = keep;
    if (keep.length > 0) this.ctx.setTimer(Math.max(1, waitMs - (now - keep[0]![1])), 'parked');
  }

  private route(command: Command, hops: number): void {
    if (this.node.leading()) return this.node.lead(command);
    const leader = this.node.leaderId;
    if (leader !== undefined && leader !== this.ctx.id && hops < this.params.forwardHopsMax) {
      this.send(leader, { type: 'forward', command, hops: hops + 1 });
      if (command.origin === this.ctx.id) this.requests.sentTo(command.id, leader);
    } else if (command.origin === this.ctx.id) {
      // An election is probably under way: wait for its outcome, a bounded while.
      if (this.parked.length >= this.params.queueMax) return this.failUnsent(command);
      if (this.parked.length === 0) this.ctx.setTimer(this.parkedWaitMs(), 'parked');
      this.parked.push([command, this.ctx.now()]);
    } else {
      this.send(command.origin, { type: 'not-leader', id: command.id, ...(leader === undefined ? {} : { leader }) });
    }
  }

  /** Fails a command that certainly did not take effect: a read, or a write that never left this node. */
  private failUnsent(command: Command): void {
    if (command.f !== 'read' && this.requests.wasSent(command.id)) return;
    if (this.requests.take(command.id)) this.ctx.reply(command.id, command.f === 'read' ? FAIL_READ : { type: 'fail', error: 'no-leader' });
  }

  /** Long enough for an election to finish, lease wait included, and short of a client timeout. */
  private parkedWaitMs(): number {
    return 2 * this.params.electionTimeoutMs + this.params.electionJitterMs;
  }

  private send(to: NodeId, message: PaxosMessage): void {
    this.ctx.send(to, message);
  }
}
