import type { ProtocolDefinition } from '../protocols/protocol.js';
import type { ClientOp, OpSource } from './client-driver.js';
import type { NemesisName, NemesisTiming } from './nemesis-schedule.js';
import type { NetworkOptions } from './network.js';

import type { SimulationWorkload } from '../workloads/simulation-workload.js';

export type { SimulationWorkload };

/**
 * Everything one simulated run needs, defaults filled in (see `SIMULATION_DEFAULTS`). The run
 * pipeline builds it from a user's spec; tests and benches build it directly.
 */
export interface SimulationConfig {
  protocol: ProtocolDefinition;
  seed: number;
  bug?: string;
  /** Cluster size handed to `protocol.cluster` (the protocol's default when absent). */
  nodes?: number;
  params?: Readonly<Record<string, number>>;
  nemesis: NemesisName;
  /** Overrides of the nemesis rhythm; when absent, the default rhythm is scaled to the run's length. */
  nemesisTiming?: Partial<NemesisTiming>;
  /**
   * A protocol event (one of the protocol's `marks`) that each fault waits for once its gap is
   * over: it starts right after a node marks it, aimed at that node. Absent: faults start on time.
   */
  nemesisTrigger?: string;
  workload: SimulationWorkload;
  /** Client operations issued while the nemesis is active. */
  faultyOps: number;
  /** Client operations issued after every fault healed (the system must recover). */
  quietOps: number;
  clients: number;
  concurrency: number;
  timeoutMs: number;
  thinkMsMean: number;
  network?: Partial<NetworkOptions>;
  /** Initial per-node clock offsets are drawn within ± this. */
  clockOffsetMsMax: number;
  /** The clock-skew nemesis keeps drift within ± this (protocols are told). */
  clockDriftPpmMax: number;
  /** The clock-skew nemesis steps clocks by up to ± this (0: never). */
  clockJumpMsMax: number;
  /** Wait between the last quiet operation and the final reads (anti-entropy, catch-up). */
  settleMs: number;
  /** Budgets: a run that needs more events or more virtual time fails with VRD_ERR_SIM_BUDGET. */
  eventsMax: number;
  virtualMsMax: number;
  logLinesMax?: number;
}

export const SIMULATION_DEFAULTS = {
  clients: 5,
  concurrency: 1,
  timeoutMs: 1_000,
  thinkMsMean: 20,
  clockOffsetMsMax: 50,
  /** 10 %: far beyond real quartz, like Jepsen's clock nemesis, so lease bugs show in seconds. */
  clockDriftPpmMax: 100_000,
  clockJumpMsMax: 0,
  settleMs: 1_000,
  /** Share of `ops` issued in the quiet phase. */
  quietFraction: 0.15,
  virtualMsMax: 24 * 3600 * 1000,
} as const;

/** Events allowed per client operation before the run counts as a livelock. */
export const EVENTS_PER_OP_MAX = 20_000;
