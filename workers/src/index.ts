/**
 * @verdict/workers: the public API, named explicitly. Everything not listed here is internal.
 */

// Simulated runs: spec → deterministic simulation → history → checker → result.
export { run, simulationConfig, type RunOptions } from './run.js';
export { resolveRunSpec, type ResolvedRunSpec, type RunSpec } from './run/spec.js';
export type { RunFacts, RunProgress, RunResult } from './run/result.js';
export type { Availability, AvailabilityOptions, FaultAvailability, OutcomeCounts, PhaseAvailability, SideAvailability, Window } from './run/availability.js';
export type { BlockedKey, KeyOwners, LockConflictOf } from './run/blocked-keys.js';
export { evaluateRequirement } from './run/require.js';
export { runMatrix, type MatrixCell, type MatrixOptions, type MatrixResult, type SideCounts } from './run/matrix.js';
export type { MatrixScenario } from './run/matrix-scenario.js';
export { renderRun } from './run/render-run.js';
export { renderMatrix } from './run/render-matrix.js';
export { runReplicationSweep, settingLabel, SWEEP_NEMESES, SWEEP_SETTINGS, type SweepCell, type SweepOptions, type SweepResult, type SweepRow, type SweepSetting } from './run/replication-sweep.js';
export { renderReplicationSweep } from './run/render-replication-sweep.js';
export { progressBar, type ProgressBar } from './run/progress-bar.js';
export { WorkersError, workersErrors, type WorkersErrorCode } from './errors.js';

// Protocols and the contract they are written against.
export { PROTOCOLS, PROTOCOL_NAMES } from './protocols/registry.js';
export type { ClusterLayout, ClusterOptions, NodeOptions, ProtocolBug, ProtocolDefinition, ProtocolScenario, ReplicationSettings, ScenarioSpec } from './protocols/protocol.js';
export type { ClientReply, ClientRequest, DurableLog, NodeBehaviour, NodeContext, NodeFactory, NodeId, Rng, TimerId } from './sim/node-context.js';

// The simulator, for tests and benches that drive it directly.
export { FAULT_KINDS, GENERAL_NEMESIS_NAMES, NEMESIS_NAMES, NEMESIS_TIMING_DEFAULTS, isNemesisName, type FaultKind, type NemesisName, type NemesisTiming } from './sim/nemesis-schedule.js';
export type { FaultRecord, FaultTrigger } from './sim/nemesis.js';
export { Simulation, type PhaseSpan, type SimulationOutcome } from './sim/simulation.js';
export { SIMULATION_DEFAULTS, type SimulationConfig, type SimulationWorkload } from './sim/simulation-config.js';
export { NETWORK_DEFAULTS, type NetworkOptions, type NetworkStats } from './sim/network.js';
export type { ClockReading } from './sim/clock.js';
export { kvWorkload, KV_FS, type KvF, type KvWorkloadOptions } from './workloads/kv-workload.js';
export { listAppendWorkload, type ListAppendOptions } from './workloads/list-append-workload.js';
export type { Workload, WorkloadOptions } from './workloads/workload.js';

// The job runner (src/queue): the protocol every job runs under, in-process or on BullMQ.
export type { ClaimResult, ClaimedJob, CompleteResult, JobClaim, JobErrorInfo, JobPart, JobProgress, JobResult, JobStore, PartOutcome, RecoverableJob } from './queue/job-store.js';
export { JOB_ERROR_CODES, JobCancelledError } from './queue/job-errors.js';
export { processJob, processMerge, type Execution, type ExecutionContext, type JobEvent, type JobExecutor, type ProcessOutcome, type RunnerDeps, type RunnerLog } from './queue/process-job.js';
export { mergeReports } from './queue/merge-reports.js';
export { InProcessRunner, type InProcessRunnerOptions } from './queue/in-process-runner.js';
export { DEFAULT_PREFIX, DEFAULT_QUEUE_NAME, type BullmqQueueOptions } from './queue/bullmq-options.js';
export { BullmqDispatcher } from './queue/bullmq-dispatcher.js';
export { BullmqJobWorker, type BullmqWorkerOptions } from './queue/bullmq-worker.js';
export { BullmqJobEvents } from './queue/bullmq-events.js';
export { Reconciler, type ReconcilerOptions } from './queue/reconciler.js';

// Real databases (src/databases): workloads run against Postgres and MySQL/MariaDB over real connections.
export { testDatabase, type DbTestFacts, type DbTestOptions, type DbTestResult } from './databases/db-test.js';
export { resolveDbTestSpec, dbTestCommand, type DbTestSpec, type ResolvedDbTestSpec } from './databases/db-test-spec.js';
export { SQL_ISOLATION_LEVELS, isSqlIsolationLevel, type SqlIsolationLevel } from './databases/isolation-levels.js';
export { DB_WORKLOADS, isDbWorkloadName, type DbWorkloadName } from './databases/workloads/sql-workload.js';
export { parseTarget, redact, type DbTarget, type Dialect } from './databases/target.js';
export { runDbMatrix, renderDbMatrix, anomalyCounts, MATRIX_COLUMNS, type DbMatrixOptions, type DbMatrixResult, type DbMatrixRun } from './databases/db-matrix.js';

// The swarm (src/swarm): many seeded runs of varied protocol, faults and size, each judged by what its protocol promises.
export { runSwarm, swarmProtocols, type SwarmOptions, type SwarmResult } from './swarm/swarm.js';
export { drawRun, type DrawOptions } from './swarm/draw-run.js';
export { PROTOCOL_PROMISES, type Judgement, type ProtocolPromise } from './swarm/promises.js';
export { historyHash, type SwarmRunOutcome } from './swarm/run-one.js';
export { renderFailure, renderSummary, type SwarmSummary, type SwarmTally } from './swarm/summary.js';
