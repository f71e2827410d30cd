import type { ClusterLayout, ClusterOptions, NodeOptions, ProtocolDefinition } from '../protocol.js';
import type { NodeFactory, NodeId } from '../../sim/node-context.js';
import { EventualNode } from './eventual-node.js';
import { DEFAULT_EVENTUAL_PARAMS, eventualBugs, eventualParams } from './params.js';
import { Ring } from './ring.js';
import { resolverFor } from './versions.js';

const DEFAULT_NODES = 5;

/**
 * A Dynamo-style eventually consistent key-value store (BASE): leaderless replicas on a
 * consistent-hashing ring, N replicas per key, W acknowledgements per write and R replies per
 * read, last-writer-wins or version vectors with siblings, read repair, hinted handoff under a
 * sloppy quorum and Merkle anti-entropy. The other side of CAP: available on both sides of a
 * partition, converging after the heal. See README.md in this folder.
 */
export const eventualProtocol: ProtocolDefinition = definition(DEFAULT_EVENTUAL_PARAMS);

function definition(params: Readonly<Record<string, number>>): ProtocolDefinition {
  const p = eventualParams(params);
  const siblings = p.siblings === 1;
  return {
    name: 'eventual',
    description: 'Dynamo-style leaderless kv store: N/R/W quorums, last-writer-wins or version vectors with siblings, read repair, hinted handoff (sloppy quorum), Merkle anti-entropy',
    bugs: [
      {
        name: 'no-anti-entropy',
        description: 'Merkle anti-entropy never runs. A write that missed a replica (sent before the partition was suspected, so no hint was taken) is repaired only if a read of its key reaches that replica again; keys nobody reads after the heal stay apart, and the final reads disagree: not even eventually consistent. Found under partition-halves within 5 seeds of 1,000 ops.',
        showsUnder: ['partition-halves', 'partition-majority-ring', 'bridge', 'mixed'],
      },
    ],
    workload: 'kv',
    operations: ['read', 'write'],
    model: { name: siblings ? 'kv-siblings' : 'kv', init: null },
    clients: 'roaming',
    replication: { n: 3, r: 1, w: 1, resolve: 'lww', sloppyQuorum: true },
    defaults: { clockOffsetMsMax: 0 },
    cluster(options: ClusterOptions): ClusterLayout {
      const count = options.nodes ?? DEFAULT_NODES;
      const nodes: NodeId[] = [];
      for (let i = 1; i <= count; i++) nodes.push(`n${i}`);
      return { nodes, roles: Object.fromEntries(nodes.map((n) => [n, 'replica'])) };
    },
    checkParams(given) {
      eventualParams(given);
    },
    configure(run) {
      return definition({ ...params, ...run.params });
    },
    node(_id: NodeId, options: NodeOptions): NodeFactory {
      const nodeParams = eventualParams({ ...params, ...options.params }, options.layout.nodes.length);
      const bugs = eventualBugs(options.bug);
      const resolver = resolverFor(nodeParams.siblings === 1 ? 'siblings' : 'lww');
      return (ctx) => new EventualNode(ctx, nodeParams, bugs, resolver);
    },
    entryNodes(layout: ClusterLayout): readonly NodeId[] {
      return layout.nodes;
    },
    pinnedNode(layout, op, client) {
      const replicas = ringOf(layout, p.vnodes).replicas(keyOf(op.value), p.n);
      return layout.nodes[replicas[client % replicas.length]!]!;
    },
    // Under a strict quorum only the key's N replicas can serve it; under a sloppy one any node can.
    ...(p.sloppyQuorum === 1 ? {} : {
      keyOwners: (layout: ClusterLayout, key: unknown) => ringOf(layout, p.vnodes).replicas(key, p.n).map((i) => layout.nodes[i]!),
    }),
    finalReads(layout: ClusterLayout, keys: readonly unknown[]) {
      const ring = ringOf(layout, p.vnodes);
      return keys.flatMap((key) => ring.replicas(key, p.n).map((i) => ({ node: layout.nodes[i]!, f: 'read', value: [key, null] })));
    },
  };
}

const rings = new WeakMap<ClusterLayout, { vnodes: number; ring: Ring }>();

/** One ring per cluster layout (the same one every node builds), so routing does not rebuild it per operation. */
function ringOf(layout: ClusterLayout, vnodes: number): Ring {
  const known = rings.get(layout);
  if (known !== undefined && known.vnodes === vnodes) return known.ring;
  const ring = new Ring(layout.nodes, vnodes);
  rings.set(layout, { vnodes, ring });
  return ring;
}

function keyOf(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}
