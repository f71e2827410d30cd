import type { NodeId } from '../../sim/node-context.js';
import type { ClusterLayout, ClusterOptions } from '../protocol.js';
import { keyPlacement, ownerOf } from './key-placement.js';
import { TXN_F, type TxnKey } from './list-append.js';

export const COORDINATOR_ROLE = 'coordinator';
export const PARTICIPANT_ROLE = 'participant';

/** Participants when the run does not say how many. */
export const DEFAULT_PARTICIPANTS = 3;

/**
 * Transaction coordinators. Two, both entry nodes, so that while one is down (the
 * crash-coordinator nemesis takes the one that announced its role last) clients of the other
 * still run transactions, and the history shows what the dead coordinator's participants do
 * meanwhile: 2PC's hold their locks (later transactions on those keys fail), 3PC's settle alone
 * on their timeouts (later transactions go through).
 */
export const COORDINATORS = ['c1', 'c2'] as const;

/** Coordinators `c1`, `c2` and participants `p1..pN` (N = `options.nodes`, default 3). */
export function transactionCluster(options: ClusterOptions): ClusterLayout {
  const n = Math.max(1, options.nodes ?? DEFAULT_PARTICIPANTS);
  const participants = Array.from({ length: n }, (_, i) => `p${i + 1}`);
  const roles: Record<NodeId, string> = {};
  for (const c of COORDINATORS) roles[c] = COORDINATOR_ROLE;
  for (const p of participants) roles[p] = PARTICIPANT_ROLE;
  return { nodes: [...COORDINATORS, ...participants], roles };
}

/** The participants in layout order: the order key placement counts in. */
export function participantsOf(layout: ClusterLayout): NodeId[] {
  return layout.nodes.filter((n) => layout.roles[n] === PARTICIPANT_ROLE);
}

export function coordinatorsOf(layout: ClusterLayout): NodeId[] {
  return layout.nodes.filter((n) => layout.roles[n] === COORDINATOR_ROLE);
}

/**
 * The final reads: every key, read alone by the participant that owns it, from its committed
 * state. A non-atomic commit shows as a transaction whose append one of these reads has and
 * another lacks.
 */
export function transactionFinalReads(layout: ClusterLayout, keys: readonly unknown[]): { node: NodeId; f: string; value: unknown }[] {
  const txnKeys = keys.filter((k): k is TxnKey => typeof k === 'string' || typeof k === 'number');
  const reads: { node: NodeId; f: string; value: unknown }[] = [];
  for (const [node, owned] of keyPlacement(txnKeys, participantsOf(layout))) {
    for (const key of owned) reads.push({ node, f: TXN_F, value: [['r', key, null]] });
  }
  return reads;
}

/** Where a key lives: the one participant that owns its shard (the run's availability report uses it). */
export function transactionKeyOwners(layout: ClusterLayout, key: unknown): readonly NodeId[] {
  return [ownerOf(key as TxnKey, participantsOf(layout))];
}
