import type { History, Report } from '@verdict/checker';
import type { FaultRecord } from '../sim/nemesis.js';
import type { NetworkStats } from '../sim/network.js';
import type { NemesisTiming } from '../sim/nemesis-schedule.js';
import type { NodeId } from '../sim/node-context.js';
import type { PhaseSpan, SimulationOutcome } from '../sim/simulation.js';
import type { SimulatorStats } from '../sim/simulator.js';
import type { Availability } from './availability.js';
import type { ResolvedRunSpec } from './spec.js';

/** Facts about a simulated run, beside the checker's verdict on its history. */
export interface RunFacts {
  seed: number;
  protocol: string;
  nemesis: string;
  bug: string | null;
  /**
   * What the clients did: `kv` (read/write/cas), `txn` (list-append transactions), or, for a
   * workload of its own (the recipes'), the model that judges it (`mutex`, `counter`, `barrier`).
   */
  workload: string;
  nodes: NodeId[];
  /** Roles from the cluster layout, at start. */
  roles: Readonly<Record<NodeId, string>>;
  /** Each node at the end: up, last announced role, clock. */
  finalState: SimulationOutcome['finalState'];
  /** Client operations issued (faulty and quiet phases) and final reads. */
  operations: { client: number; finalReads: number };
  messages: NetworkStats;
  nodeStats: SimulatorStats;
  events: number;
  /** Virtual time the run took, ms. */
  simulatedMs: number;
  /** Real time spent simulating and checking, ms (the only non-deterministic figures). */
  wallMs: { simulate: number; check: number };
  phases: PhaseSpan[];
  /** The fault schedule as it happened, with resolved targets. */
  faults: FaultRecord[];
  nemesisTiming: NemesisTiming;
  availability: Availability;
  /** The command that replays this run exactly. */
  reproduce: string;
}

/** Everything `run` returns: the history, the checker's report, and the run's facts. */
export interface RunResult {
  spec: ResolvedRunSpec;
  history: History;
  report: Report;
  facts: RunFacts;
  /**
   * One line: the verdict and availability together, e.g. "blocked: availability lost, nothing
   * inconsistent" or "VIOLATED: not linearizable".
   */
  headline: string;
}

/** Progress of a run: first the simulation, then the check. */
export interface RunProgress {
  stage: 'simulate' | 'check';
  seed: number;
  /** Simulate: client operations completed; check: partitions decided. */
  done: number;
  total: number;
  virtualMs: number;
  phase?: string;
}
