import type { ClientReply } from '../../sim/node-context.js';
import type { EventualMessage } from './messages.js';
import type { EventualParams } from './params.js';
import type { Target } from './quorum.js';
import type { ReplicaStore } from './replica-store.js';
import type { Resolver, Version } from './versions.js';

/** What a coordinator needs from its node. */
export interface CoordinatorNode {
  readonly self: number;
  readonly nodes: number;
  now(): number;
  /** Where requests for the key go now (the node's current view of who is up). */
  targets(key: unknown): Target[];
  send(to: number, message: EventualMessage): void;
  setTimer(delayMs: number, tag: string, data: number): void;
  /** Answers the request: to the client when this node received it, else back to the node that did. */
  answer(id: number, origin: number, reply: ClientReply): void;
}

interface Coordination {
  id: number;
  /** The node the client asked. */
  origin: number;
  f: 'read' | 'write';
  key: unknown;
  targets: Target[];
  /** Write: the version being replicated, and who acknowledged it. */
  version?: Version;
  acked: Set<number>;
  /** Read: what each target answered. */
  replies: Map<number, Version[]>;
  answered: boolean;
}

/**
 * The coordinator of reads and writes (Dynamo §4.5), run by a node that holds the key — any of
 * its replicas, or under a sloppy quorum any stand-in — for requests it received or was forwarded.
 * - A write gets a version (a timestamp, or a vector descending from every version this node
 *   holds for the key), is stored here, sent to every target, and answered `ok` once W targets
 *   (this node included) acknowledged it. Missing answers are asked again every `retryMs`, from
 *   targets chosen afresh (a sloppy quorum replaces a replica it now believes down). At the
 *   deadline it completes `info`: stored somewhere, it may still spread.
 * - A read asks every target and answers the merge of the first R replies (this node's own copy
 *   counts at once). The coordinator's own copy takes that merge (a session that keeps asking it
 *   never sees less); the replies that came in within `repairWaitMs` and held less get the rest
 *   (read repair). At the deadline a read fails: a read changes nothing.
 */
export class Coordinator {
  private readonly active = new Map<number, Coordination>();

  constructor(private readonly node: CoordinatorNode, private readonly store: ReplicaStore, private readonly resolver: Resolver, private readonly params: EventualParams) {}

  get inflight(): number {
    return this.active.size;
  }

  /** Starts coordinating request `id`; false when it is already being coordinated here. */
  start(id: number, origin: number, f: 'read' | 'write', key: unknown, arg: unknown): boolean {
    if (this.active.has(id)) return false;
    const c: Coordination = { id, origin, f, key, targets: this.node.targets(key), acked: new Set(), replies: new Map(), answered: false };
    this.active.set(id, c);
    this.node.setTimer(this.params.coordinateMs, 'deadline', id);
    this.node.setTimer(this.params.retryMs, 'retry', id);
    if (f === 'write') {
      const context = this.store.local(key);
      const stamp = this.resolver.nextStamp(context, this.node.self, this.node.now(), this.store.stamp);
      this.store.stamp = stamp;
      c.version = this.resolver.create(context, arg, this.node.self, stamp, this.node.nodes);
    }
    for (const t of c.targets) this.ask(c, t);
    this.progress(c);
    return true;
  }

  onPutAck(from: number, id: number): void {
    const c = this.active.get(id);
    if (c === undefined || c.f !== 'write' || !c.targets.some((t) => t.node === from)) return;
    c.acked.add(from);
    this.progress(c);
  }

  onGetReply(from: number, id: number, versions: Version[]): void {
    const c = this.active.get(id);
    if (c === undefined || c.f !== 'read' || !c.targets.some((t) => t.node === from)) return;
    c.replies.set(from, versions);
    this.progress(c);
  }

  onTimer(tag: string, id: number): void {
    const c = this.active.get(id);
    if (c === undefined) return;
    if (tag === 'retry' && !c.answered) {
      this.retarget(c);
      for (const t of c.targets) if (!this.heard(c, t.node)) this.ask(c, t);
      this.node.setTimer(this.params.retryMs, 'retry', id);
    } else if (tag === 'deadline' && !c.answered) {
      const short = c.f === 'write' ? `${c.acked.size} of ${this.params.w} acknowledgements` : `${c.replies.size} of ${this.params.r} replies`;
      this.finish(c, c.f === 'write' ? { type: 'info', error: `timeout: ${short}` } : { type: 'fail', error: `unavailable: ${short}` });
    } else if (tag === 'repair' || tag === 'deadline') {
      this.repair(c);
    }
  }

  private ask(c: Coordination, t: Target): void {
    if (t.node === this.node.self) {
      if (c.f === 'write') {
        this.keep(c.key, [c.version!], t.hintFor);
        c.acked.add(t.node);
      } else {
        c.replies.set(t.node, this.store.local(c.key));
      }
      return;
    }
    if (c.f === 'write') this.node.send(t.node, { type: 'put', id: c.id, key: c.key, versions: [c.version!], hintFor: t.hintFor });
    else this.node.send(t.node, { type: 'get', id: c.id, key: c.key });
  }

  private progress(c: Coordination): void {
    if (c.f === 'write') {
      if (!c.answered && c.acked.size >= this.params.w) this.finish(c, { type: 'ok', value: [c.key, c.version!.value] });
      return;
    }
    if (!c.answered && c.replies.size >= this.params.r) {
      const merged = this.merged(c);
      // The coordinator's own copy never holds less than it answered.
      const own = c.targets.find((t) => t.node === this.node.self);
      if (own !== undefined) this.keep(c.key, merged, own.hintFor);
      c.answered = true;
      this.node.answer(c.id, c.origin, { type: 'ok', value: [c.key, this.resolver.answer(merged)] });
      this.node.setTimer(this.params.repairWaitMs, 'repair', c.id);
    }
    if (c.answered && c.targets.every((t) => c.replies.has(t.node))) this.repair(c);
  }

  /** Read repair: every target that answered with less than the merge of all replies gets it. */
  private repair(c: Coordination): void {
    if (!this.active.delete(c.id)) return;
    const merged = this.merged(c);
    for (const t of c.targets) {
      const seen = c.replies.get(t.node);
      if (seen === undefined || this.resolver.covers(seen, merged)) continue;
      if (t.node === this.node.self) this.keep(c.key, merged, t.hintFor);
      else this.node.send(t.node, { type: 'repair', key: c.key, versions: merged, hintFor: t.hintFor });
    }
  }

  private finish(c: Coordination, reply: ClientReply): void {
    c.answered = true;
    this.active.delete(c.id);
    this.node.answer(c.id, c.origin, reply);
  }

  private merged(c: Coordination): Version[] {
    let merged: Version[] = [];
    for (const versions of c.replies.values()) merged = this.resolver.merge(merged, versions);
    return merged;
  }

  /** A sloppy quorum's targets follow the node's view: a replica now believed down gets a stand-in. */
  private retarget(c: Coordination): void {
    if (this.params.sloppyQuorum !== 1) return;
    for (const t of this.node.targets(c.key)) {
      if (!c.targets.some((x) => x.node === t.node)) c.targets.push(t);
    }
  }

  private heard(c: Coordination, node: number): boolean {
    return c.f === 'write' ? c.acked.has(node) : c.replies.has(node);
  }

  /** Stores versions at this node: as its own replica, or as a hint for `hintFor`. */
  private keep(key: unknown, versions: readonly Version[], hintFor: number): void {
    if (hintFor >= 0) this.store.hint(hintFor, key, versions);
    else this.store.apply(key, versions);
  }
}
