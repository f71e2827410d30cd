import type { ClientReply, ClientRequest, NodeBehaviour, NodeContext, NodeId } from '../../sim/node-context.js';
import { AntiEntropy } from './anti-entropy.js';
import { Coordinator } from './coordinator.js';
import { HintedHandoff } from './hinted-handoff.js';
import { Membership } from './membership.js';
import type { EventualMessage } from './messages.js';
import type { EventualBugs, EventualParams } from './params.js';
import { targetsFor, type Target } from './quorum.js';
import { ReplicaStore } from './replica-store.js';
import { Ring } from './ring.js';
import { SeenIds } from './seen-ids.js';
import type { Resolver, Version } from './versions.js';

/**
 * One node of the Dynamo-style store: a replica of the keys the ring gives it, a coordinator for
 * requests on them, a stand-in for unreachable replicas under a sloppy quorum, and a partner in
 * hinted handoff and Merkle anti-entropy. Any node takes client requests; one that holds no copy
 * of the key forwards the request to the first replica it believes up (a version vector's
 * context must come from a copy of the key). Final reads (`request.final`) answer from this
 * node's own replica, so the checker sees each replica's state.
 */
export class EventualNode implements NodeBehaviour {
  readonly self: number;
  readonly nodes: number;
  private readonly ring: Ring;
  private readonly store: ReplicaStore;
  private readonly members: Membership;
  private readonly coordinator: Coordinator;
  private readonly handoff: HintedHandoff;
  private readonly antiEntropy: AntiEntropy;
  private readonly seen: SeenIds;
  /** Requests this node forwarded, by id: it answers the client when the coordinator does. */
  private readonly forwarded = new Map<number, 'read' | 'write'>();

  constructor(private readonly ctx: NodeContext, private readonly params: EventualParams, private readonly bugs: EventualBugs, private readonly resolver: Resolver) {
    this.self = ctx.peers.indexOf(ctx.id);
    if (this.self < 0) throw new Error(`eventual: node ${ctx.id} is not among its peers`);
    this.nodes = ctx.peers.length;
    this.ring = new Ring(ctx.peers, params.vnodes);
    this.store = new ReplicaStore(ctx, resolver);
    this.members = new Membership(this.self, this.nodes, ctx.now(), params.suspectMs);
    this.seen = new SeenIds(params.requestsRememberedMax);
    this.coordinator = new Coordinator({
      self: this.self,
      nodes: this.nodes,
      now: () => ctx.now(),
      targets: (key) => this.targets(key),
      send: (to, m) => this.send(to, m),
      setTimer: (delayMs, tag, id) => ctx.setTimer(delayMs, tag, id),
      answer: (id, origin, reply) => this.answer(id, origin, reply),
    }, this.store, resolver, params);
    const peer = { up: (node: number) => this.up(node), send: (to: number, m: EventualMessage) => this.send(to, m) };
    this.handoff = new HintedHandoff({ ...peer, replicates: (key) => this.replicasOf(key).includes(this.self) }, this.store, resolver, params.batchMax);
    this.antiEntropy = new AntiEntropy({ ...peer, self: this.self, nodes: this.nodes, replicasOf: (key) => this.replicasOf(key) }, this.store, resolver, params.batchMax);
  }

  onStart(): void {
    // Periodic work starts at a random phase, so nodes do not all gossip in the same instant.
    this.ctx.setTimer(this.ctx.rng.int(1, this.params.pingMs), 'ping');
    this.ctx.setTimer(this.ctx.rng.int(1, this.params.handoffMs), 'handoff');
    if (!this.bugs.noAntiEntropy) this.ctx.setTimer(this.ctx.rng.int(1, this.params.antiEntropyMs), 'anti-entropy');
  }

  onMessage(from: NodeId, message: unknown): void {
    const peer = this.ctx.peers.indexOf(from);
    if (peer < 0) return;
    this.members.heard(peer, this.ctx.now());
    const m = message as EventualMessage;
    switch (m.type) {
      case 'ping':
        return;
      case 'forward':
        if (this.seen.first(m.id)) this.coordinate(m.id, peer, m.f, m.value);
        return;
      case 'result':
        if (this.forwarded.delete(m.id)) this.ctx.reply(m.id, m.reply);
        return;
      case 'put':
        this.keep(m.key, m.versions, m.hintFor);
        return this.send(peer, { type: 'put-ack', id: m.id });
      case 'put-ack':
        return this.coordinator.onPutAck(peer, m.id);
      case 'get':
        return this.send(peer, { type: 'get-reply', id: m.id, versions: this.store.local(m.key) });
      case 'get-reply':
        return this.coordinator.onGetReply(peer, m.id, m.versions);
      case 'repair':
        return this.keep(m.key, m.versions, m.hintFor);
      case 'handoff':
        return this.handoff.onHandoff(peer, m);
      case 'handoff-ack':
        return this.handoff.onAck(peer, m);
      case 'ae-tree':
        return this.antiEntropy.onTree(peer, m);
      case 'ae-keys':
        return this.antiEntropy.onKeys(peer, m);
    }
  }

  onTimer(tag: string, data: unknown): void {
    switch (tag) {
      case 'ping':
        for (let i = 0; i < this.nodes; i++) if (i !== this.self) this.send(i, { type: 'ping' });
        this.ctx.setTimer(this.params.pingMs, 'ping');
        return;
      case 'handoff':
        this.handoff.round();
        this.ctx.setTimer(this.params.handoffMs, 'handoff');
        return;
      case 'anti-entropy':
        this.antiEntropy.round();
        this.ctx.setTimer(this.params.antiEntropyMs, 'anti-entropy');
        return;
      case 'forward': {
        const f = this.forwarded.get(data as number);
        if (f === undefined) return;
        this.forwarded.delete(data as number);
        // A read changes nothing, so it fails; a write may have been stored, so its outcome is unknown.
        return this.ctx.reply(data as number, f === 'read' ? { type: 'fail', error: 'unavailable: the replica asked did not answer' } : { type: 'info', error: 'timeout: the replica asked did not answer' });
      }
      default:
        return this.coordinator.onTimer(tag, data as number);
    }
  }

  onClientRequest(request: ClientRequest): void {
    if (!this.seen.first(request.id)) return;
    const parsed = parseRequest(request.f, request.value);
    if (typeof parsed === 'string') return this.ctx.reply(request.id, { type: 'fail', error: parsed });
    if (request.final === true) {
      if (parsed.f !== 'read') return this.ctx.reply(request.id, { type: 'fail', error: 'bad-request: a final read reads' });
      return this.ctx.reply(request.id, { type: 'ok', value: [parsed.key, this.resolver.answer(this.store.get(parsed.key))] });
    }
    const targets = this.targets(parsed.key);
    if (targets.some((t) => t.node === this.self)) return this.coordinate(request.id, this.self, request.f, request.value);
    // A strict quorum lists the replicas up or not: forward to one believed up.
    const first = targets.find((t) => this.up(t.node));
    if (first === undefined) return this.ctx.reply(request.id, { type: 'fail', error: 'unavailable: no replica of the key is believed up' });
    this.forwarded.set(request.id, parsed.f);
    this.send(first.node, { type: 'forward', id: request.id, f: request.f, value: request.value });
    this.ctx.setTimer(this.params.forwardMs, 'forward', request.id);
  }

  /** Where requests for the key go now: its replicas, or under a sloppy quorum the first N believed up. */
  targets(key: unknown): Target[] {
    return targetsFor(this.ring.preference(key), this.params.n, this.params.sloppyQuorum === 1, (node) => this.up(node));
  }

  private replicasOf(key: unknown): readonly number[] {
    return this.ring.replicas(key, this.params.n);
  }

  private coordinate(id: number, origin: number, f: string, value: unknown): void {
    const parsed = parseRequest(f, value);
    if (typeof parsed === 'string') return this.answer(id, origin, { type: 'fail', error: parsed });
    if (this.coordinator.inflight >= this.params.inflightMax) {
      return this.answer(id, origin, { type: 'fail', error: `overloaded: ${this.params.inflightMax} requests in flight` });
    }
    this.coordinator.start(id, origin, parsed.f, parsed.key, parsed.arg);
  }

  private answer(id: number, origin: number, reply: ClientReply): void {
    if (origin === this.self) this.ctx.reply(id, reply);
    else this.send(origin, { type: 'result', id, reply });
  }

  private keep(key: unknown, versions: readonly Version[], hintFor: number): void {
    if (hintFor >= 0) this.store.hint(hintFor, key, versions);
    else this.store.apply(key, versions);
  }

  private up(node: number): boolean {
    return this.members.up(node, this.ctx.now());
  }

  private send(to: number, message: EventualMessage): void {
    this.ctx.send(this.ctx.peers[to]!, message);
  }
}

/** A request's operation and key, or why the store cannot take it. */
function parseRequest(f: string, value: unknown): { f: 'read' | 'write'; key: unknown; arg: unknown } | string {
  if (f !== 'read' && f !== 'write') return `bad-request: the store reads and writes, not ${JSON.stringify(f)}`;
  if (!Array.isArray(value) || value.length !== 2) return 'bad-request: the value must be [key, value]';
  return { f, key: value[0], arg: value[1] };
}
