import type { ClientOp, OpSource } from '../sim/client-driver.js';

/**
 * The client operations of a run, as the simulation consumes them. It lives with the workloads,
 * not the simulator, because a protocol may bring its own (the ZooKeeper recipes do), and
 * protocols see nothing of the simulator but their node context.
 */
export interface SimulationWorkload extends OpSource {
  /** Keys touched so far, in a fixed order: what final reads read. */
  keys(): unknown[];
  /** The operations of the default final read at one node, for these keys, when the protocol names none. */
  finalReadOps(keys: readonly unknown[]): ClientOp[];
}
