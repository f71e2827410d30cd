import { paxosProtocol } from '../../src/protocols/paxos/index.js';
import { PaxosFakeCluster } from './paxos-fake-context.js';

export interface PaxosClusterOptions {
  nodes?: number;
  bug?: string;
  params?: Record<string, number>;
  seed?: number;
}

/** A Paxos cluster on the fake context, with a leader elected (or not, when `elect` is false). */
export function paxosCluster(options: PaxosClusterOptions = {}, elect = true): PaxosFakeCluster {
  const layout = paxosProtocol.cluster({ nodes: options.nodes ?? 5 });
  const nodeOptions = { layout, ...(options.bug !== undefined ? { bug: options.bug } : {}), ...(options.params !== undefined ? { params: options.params } : {}) };
  const cluster = new PaxosFakeCluster(layout.nodes, (id) => paxosProtocol.node(id, nodeOptions), options.seed ?? 1);
  if (elect && !cluster.runUntil(() => cluster.leaders().length === 1, 5_000)) throw new Error('no leader elected in 5 s');
  return cluster;
}

/** Sends a request and runs until it is answered (or `ms` pass); returns the reply. */
export function ask(cluster: PaxosFakeCluster, node: string, f: string, value: unknown, ms = 2_000) {
  const id = cluster.request(node, f, value);
  cluster.runUntil(() => cluster.replies.has(id), ms);
  return cluster.replies.get(id);
}
