import type { ClientReply, ClientRequest, NodeBehaviour, NodeContext, NodeId } from '../../src/sim/node-context.js';
import type { ClusterLayout, ProtocolDefinition } from '../../src/protocols/protocol.js';

/**
 * A primary-backup kv register for testing the simulator before the real protocols land.
 * The primary (n1) serves every operation from its own durable state and streams writes to the
 * backups, retransmitting until acknowledged. Clients talk to every node; a backup forwards
 * requests to the primary and relays the answer, so the history is linearizable. Bug
 * `stale-backup-reads`: backups answer reads from their lagging copy — stale reads the checker
 * must catch.
 */

interface Replicate { t: 'rep'; seq: number; key: unknown; value: unknown }
interface Ack { t: 'ack'; seq: number }
interface Forward { t: 'fwd'; request: ClientRequest }
interface Result { t: 'res'; id: number; reply: ClientReply }
type Message = Replicate | Ack | Forward | Result;

const RETRY_MS = 20;

function keyName(key: unknown): string {
  return JSON.stringify(key);
}

function primary(ctx: NodeContext): NodeBehaviour {
  const backups = ctx.peers.filter((p) => p !== ctx.id);
  let seq = ctx.load<number>('seq') ?? 0;
  const unacked = new Map<number, { msg: Replicate; waiting: Set<NodeId> }>();
  const read = (key: unknown): unknown => ctx.load(`k:${keyName(key)}`) ?? null;
  const write = (key: unknown, value: unknown): void => {
    ctx.persist(`k:${keyName(key)}`, value);
    seq++;
    ctx.persist('seq', seq);
    const msg: Replicate = { t: 'rep', seq, key, value };
    unacked.set(seq, { msg, waiting: new Set(backups) });
    for (const b of backups) ctx.send(b, msg);
  };
  const handle = (r: ClientRequest): ClientReply => {
    const [key, arg] = r.value as [unknown, unknown];
    if (r.f === 'read') return { type: 'ok', value: [key, read(key)] };
    if (r.f === 'write') {
      write(key, arg);
      return { type: 'ok', value: r.value };
    }
    if (r.f === 'cas') {
      const [expected, next] = arg as [unknown, unknown];
      if (read(key) !== expected) return { type: 'fail', error: 'cas mismatch' };
      write(key, next);
      return { type: 'ok', value: r.value };
    }
    return { type: 'fail', error: `unknown f ${r.f}` };
  };
  return {
    onStart() {
      ctx.setRole('primary');
      ctx.setTimer(RETRY_MS, 'retry');
    },
    onMessage(from, message) {
      const m = message as Message;
      if (m.t === 'fwd') {
        ctx.send(from, { t: 'res', id: m.request.id, reply: handle(m.request) } satisfies Result);
        return;
      }
      if (m.t !== 'ack') return;
      const entry = unacked.get(m.seq);
      if (entry === undefined) return;
      entry.waiting.delete(from);
      if (entry.waiting.size === 0) unacked.delete(m.seq);
    },
    onTimer() {
      for (const { msg, waiting } of unacked.values()) for (const b of waiting) ctx.send(b, msg);
      ctx.setTimer(RETRY_MS, 'retry');
    },
    onClientRequest(r: ClientRequest) {
      ctx.reply(r.id, handle(r));
    },
  };
}

function backup(ctx: NodeContext, primaryId: NodeId, servesReads: boolean): NodeBehaviour {
  const store = new Map<string, unknown>();
  let applied = 0;
  const pending = new Map<number, Replicate>();
  return {
    onMessage(from, message) {
      const m = message as Message;
      if (m.t === 'res') return ctx.reply(m.id, m.reply);
      if (m.t !== 'rep') return;
      if (m.seq > applied) pending.set(m.seq, m);
      for (let next = pending.get(applied + 1); next !== undefined; next = pending.get(applied + 1)) {
        pending.delete(next.seq);
        store.set(keyName(next.key), next.value);
        applied = next.seq;
      }
      if (m.seq <= applied) ctx.send(from, { t: 'ack', seq: m.seq } satisfies Ack);
    },
    onTimer() {},
    onClientRequest(r: ClientRequest) {
      if (servesReads && r.f === 'read') {
        const [key] = r.value as [unknown];
        return ctx.reply(r.id, { type: 'ok', value: [key, store.get(keyName(key)) ?? null] });
      }
      ctx.send(primaryId, { t: 'fwd', request: r } satisfies Forward);
    },
  };
}

export const STALE_BACKUP_READS = 'stale-backup-reads';

export const primaryBackup: ProtocolDefinition = {
  name: 'primary-backup',
  description: 'test protocol: a primary serving a kv register, backups replicating asynchronously',
  bugs: [{ name: STALE_BACKUP_READS, description: 'backups answer reads from their lagging copy', showsUnder: ['none'] }],
  workload: 'kv',
  model: { name: 'kv', init: null },
  cluster: (o) => {
    const nodes = Array.from({ length: o.nodes ?? 3 }, (_, i) => `n${i + 1}`);
    return { nodes, roles: Object.fromEntries(nodes.map((n, i) => [n, i === 0 ? 'primary' : 'backup'])) };
  },
  node: (id, options) => (ctx) => (options.layout.roles[id] === 'primary' ? primary(ctx) : backup(ctx, options.layout.nodes[0]!, options.bug === STALE_BACKUP_READS)),
  entryNodes: (layout: ClusterLayout) => layout.nodes,
  finalReads: (layout, keys) => keys.map((key) => ({ node: layout.nodes[0]!, f: 'read', value: [key, null] })),
};
