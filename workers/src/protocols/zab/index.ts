import type { ClusterLayout, ClusterOptions, NodeOptions, ProtocolDefinition } from '../protocol.js';
import type { NodeFactory, NodeId } from '../../sim/node-context.js';
import { ZAB_MARKS } from './marks.js';
import { zabBugs, zabParams } from './params.js';
import { ZAB_SCENARIOS } from './scenarios.js';
import { GUARANTEE_BUG_NAMES, ZkServerHost } from './zk-server-host.js';
import { zkGuaranteeMix } from '../../workloads/zk-guarantee-mix.js';

const DEFAULT_VOTERS = 5;
const DEFAULT_OBSERVERS = 1;

/** The observers of a layout: nodes whose role is `observer`. */
function observersOf(layout: ClusterLayout): NodeId[] {
  return layout.nodes.filter((n) => layout.roles[n] === 'observer');
}

/**
 * A ZooKeeper ensemble on ZAB: voters that elect a leader, and observers that only learn. See
 * README.md in this folder.
 */
export const zookeeperProtocol: ProtocolDefinition = {
  name: 'zookeeper',
  description: 'ZooKeeper on ZAB: znode tree with sessions, watches and ACLs; 5 voters and 1 observer; reads served by the connected server, after a sync through the leader (--reads sync, the default) or as they are (--reads local: sequential, not linearizable); one operation in five is a guarantee client\'s, on a session that moves between servers, so every run also checks ZooKeeper\'s own guarantees',
  bugs: [
    {
      name: 'commit-before-quorum',
      description: 'The leader commits, applies and answers a proposal as soon as it has logged it, before a quorum acknowledged it: a leader cut off from the rest answers writes the next leader never had. Found within 2 seeds under isolate-leader with scenario leader-cut-off-after-proposing (1,000 ops, --reads sync).',
      showsUnder: ['isolate-leader'],
    },
    {
      name: 'elect-lower-zxid',
      description: 'Election votes compare server ids only, and a leader takes learners whose history is ahead of its own: a voter back from a crash with a shorter log can win and truncate committed writes away. Found within 2 seeds of 1,000 ops under crash-leader with scenario leader-dies-as-laggard-returns (the leader dies the moment such a voter asks to rejoin).',
      showsUnder: ['crash-leader'],
    },
    {
      name: 'no-last-zxid-check',
      description: 'A server takes a session moving to it from another server without checking that it has seen the client\'s last zxid: the client, connected to a server behind it, sees time go backwards (the zookeeper-single-image guarantee). Found on the first seed of 1,000 ops with no faults (a client moves its session now and then, and followers trail the leader by a few transactions).',
      showsUnder: ['none'],
    },
    {
      name: 'watch-after-result',
      description: 'A server sends a fired watch\'s event one answer late, after the result that already reflects the change: a client reads the new data before it learns its watch fired (the zookeeper-watches guarantee). Found on the first seed of 1,000 ops with no faults.',
      showsUnder: ['none'],
    },
    {
      name: 'skip-trunc',
      description: 'A learner told to TRUNC keeps the proposals past its leader\'s history: a proposal no quorum acknowledged survives on it and is applied with the next commit, so that server\'s copy diverges until the key is written again. Found within 16 seeds of 1,000 ops under isolate-leader with scenario leader-cut-off-after-proposing (which the matrix runs on 16 seeds).',
      showsUnder: ['isolate-leader'],
    },
  ],
  workload: 'kv',
  model: { name: 'znode', init: null },
  cluster(options: ClusterOptions): ClusterLayout {
    const count = options.nodes ?? DEFAULT_VOTERS + DEFAULT_OBSERVERS;
    const observers = count >= 4 ? DEFAULT_OBSERVERS : 0;
    const nodes: NodeId[] = [];
    for (let i = 1; i <= count; i++) nodes.push(`n${i}`);
    return { nodes, roles: Object.fromEntries(nodes.map((n, i) => [n, i >= count - observers ? 'observer' : 'follower'])) };
  },
  checkParams(params) {
    zabParams(params);
  },
  node(_id: NodeId, options: NodeOptions): NodeFactory {
    const params = zabParams(options.params);
    const hostBug = (GUARANTEE_BUG_NAMES as readonly string[]).includes(options.bug ?? '');
    const bugs = zabBugs(hostBug ? undefined : options.bug);
    const observers = observersOf(options.layout);
    const hostBugs = { noLastZxidCheck: options.bug === 'no-last-zxid-check', watchAfterResult: options.bug === 'watch-after-result' };
    return (ctx) => new ZkServerHost(ctx, params, bugs, observers, hostBugs);
  },
  mixOps(kv, options) {
    return zkGuaranteeMix(kv, options.seed);
  },
  entryNodes(layout: ClusterLayout): readonly NodeId[] {
    return layout.nodes;
  },
  marks: ZAB_MARKS,
  scenarios: ZAB_SCENARIOS,
  finalReads(layout: ClusterLayout, keys: readonly unknown[]) {
    return layout.nodes.flatMap((node) => keys.map((key) => ({ node, f: 'read', value: [key, null] })));
  },
};
