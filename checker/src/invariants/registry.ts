import type { History } from '../history/op.js';
import { checkBankInvariant } from './bank-invariant.js';
import { checkBarrierInvariant } from './barrier-invariant.js';
import type { InvariantResult } from './types.js';
import { checkZookeeperGuarantees } from './zookeeper-guarantees.js';
import { checkZookeeperWrites } from './zookeeper-writes.js';

/** The invariants checked beside a model's linearizability, by model name. */
const INVARIANTS: Readonly<Record<string, (history: History, init: unknown) => InvariantResult[]>> = {
  bank: (h, init) => [checkBankInvariant(h, init)],
  // ZooKeeper's writes, and its own guarantees when guarantee clients ran (none otherwise).
  znode: (h, init) => [checkZookeeperWrites(h, init), ...checkZookeeperGuarantees(h)],
  barrier: (h, init) => [checkBarrierInvariant(h, init)],
};

/** Every invariant that applies to histories of this model. */
export function checkInvariants(modelName: string, history: History, init: unknown): InvariantResult[] {
  const check = INVARIANTS[modelName];
  return check === undefined ? [] : check(history, init);
}
