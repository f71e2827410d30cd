import type { ClusterLayout, ClusterOptions, NodeOptions, ProtocolDefinition } from '../protocol.js';
import type { NodeFactory, NodeId } from '../../sim/node-context.js';
import { PAXOS_MARKS } from './marks.js';
import { PAXOS_SCENARIOS } from './scenarios.js';
import { paxosBugs, paxosParams } from './params.js';
import { PaxosNode } from './paxos-node.js';

const DEFAULT_NODES = 5;

/**
 * Multi-decree Paxos replicating a key-value store, with Chubby-style master leases: the model
 * answer to "consistent and partition tolerant". See README.md in this folder.
 */
export const paxosProtocol: ProtocolDefinition = {
  name: 'paxos',
  description: 'Multi-Paxos replicated kv store with a stable leader and Chubby-style master leases (reads served locally under the lease)',
  bugs: [
    {
      name: 'forget-highest-accepted',
      description: 'In phase 1 the new leader ignores the values its quorum reports as accepted and proposes no-ops in their place, erasing writes that were chosen but not yet known chosen. Found on every seed under crash-leader with scenario leader-dies-after-choosing (the leader crashes right after acknowledging such a write); unaimed, within 10 seeds of 500 ops (isolate-leader too).',
      showsUnder: ['crash-leader', 'isolate-leader'],
    },
    {
      name: 'no-quorum-intersection',
      description: 'Quorums of ⌊n/2⌋ nodes: two leaders on the two sides of a partition both choose values for the same slots. Found under partition-halves within 5 seeds of 300 ops.',
      showsUnder: ['partition-halves', 'mixed'],
    },
    {
      name: 'lease-without-drift-margin',
      description: 'Lease arithmetic without the clock-drift margin ε: when skewed clocks (the master slow, the acceptors fast) meet a partition that cuts the master off, a new master serves while the deposed one still serves reads from its lease, which are stale: not linearizable, still sequentially consistent. Found under isolate-skewed-leader with scenario lease-hazard (drift bound 30 %, client timeout 400 ms) in 3 of 4 seeds, so the matrix runs 3; under mixed with clockDriftPpmMax 300000, timeoutMs 200, thinkMsMean 100 and short fault cycles, within 10 seeds of 300 ops. Clock skew alone never deposes a master here: drift does not stop heartbeats.',
      showsUnder: ['isolate-skewed-leader', 'mixed'],
    },
  ],
  workload: 'kv',
  model: { name: 'kv', init: null },
  cluster(options: ClusterOptions): ClusterLayout {
    const count = options.nodes ?? DEFAULT_NODES;
    const nodes: NodeId[] = [];
    for (let i = 1; i <= count; i++) nodes.push(`n${i}`);
    return { nodes, roles: Object.fromEntries(nodes.map((n) => [n, 'acceptor'])) };
  },
  checkParams(params) {
    paxosParams(params);
  },
  node(_id: NodeId, options: NodeOptions): NodeFactory {
    const params = paxosParams(options.params, options.clock);
    const bugs = paxosBugs(options.bug);
    return (ctx) => new PaxosNode(ctx, params, bugs);
  },
  entryNodes(layout: ClusterLayout): readonly NodeId[] {
    return layout.nodes;
  },
  marks: PAXOS_MARKS,
  scenarios: PAXOS_SCENARIOS,
  finalReads(layout: ClusterLayout, keys: readonly unknown[]) {
    return layout.nodes.flatMap((node) => keys.map((key) => ({ node, f: 'read', value: [key, null] })));
  },
};
