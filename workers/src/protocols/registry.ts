import type { ProtocolDefinition } from './protocol.js';

/**
 * Every protocol the simulator can run, by CLI name. Each protocol module adds its line here.
 */
export const PROTOCOLS: Record<string, () => Promise<ProtocolDefinition>> = {
  '2pc': async () => (await import('./two-phase-commit/index.js')).twoPhaseCommit,
  '3pc': async () => (await import('./three-phase-commit/index.js')).threePhaseCommit,
  paxos: async () => (await import('./paxos/index.js')).paxosProtocol,
  eventual: async () => (await import('./eventual/index.js')).eventualProtocol,
  zookeeper: async () => (await import('./zab/index.js')).zookeeperProtocol,
  'zk-lock': async () => (await import('./zk-recipes/index.js')).zkLockProtocol,
  'zk-latch': async () => (await import('./zk-recipes/index.js')).zkLatchProtocol,
  'zk-barrier': async () => (await import('./zk-recipes/index.js')).zkBarrierProtocol,
  'zk-counter': async () => (await import('./zk-recipes/index.js')).zkCounterProtocol,
};

export const PROTOCOL_NAMES: readonly string[] = Object.keys(PROTOCOLS);
