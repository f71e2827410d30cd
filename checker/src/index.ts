/**
 * @verdict/checker: the public API, named explicitly. Everything not listed here is internal.
 */
export { VerdictError, checkerErrors, isVerdictError, type CheckerErrorCode, type ErrorLocation, type ErrorSpec } from './errors.js';

export { NEMESIS_PROCESS, isNemesisOp, type History, type HistoryFormat, type Op, type OpType, type Operation, type ProcessId } from './history/op.js';
export { HistoryBuilder, historyFromOps, type HistoryBuilderOptions } from './history/history-builder.js';
export { detectFormat, parseHistory, readHistoryFile, readHistoryStream, type ParseHistoryOptions, type ReadHistoryFileOptions, type ReadHistoryOptions } from './history/read-history.js';
export { historyFromRecords } from './history/read-history.js';
export { parseJsonExact } from './history/exact-json.js';
export { jsonSafe, valueToJson } from './history/value-json.js';
export { VALUE_DEPTH_MAX, nestsDeeperThan } from './history/value-depth.js';
export { HISTORY_FORMATS } from './history/line-parser.js';
export { exportOps, historyToEdn, historyToJsonl, writeHistoryJsonl } from './history/write-history.js';

export { Inconsistent, inconsistent, isInconsistent, type Model, type ModelSpec, type Partition } from './models/model.js';
export { MODEL_NAMES, createModel, describeModels } from './models/registry.js';
export { registerModel, type RegisterOptions, type RegisterReading } from './models/register.js';
export { kvModel, type KvOptions } from './models/kv.js';
export { kvSiblingsModel } from './models/kv-siblings.js';
export { multiRegisterModel } from './models/multi-register.js';
export { setModel } from './models/set.js';
export { fifoQueueModel, unorderedQueueModel } from './models/queue.js';
export { mutexModel } from './models/mutex.js';
export { counterModel } from './models/counter.js';
export { bankModel, type Balances } from './models/bank.js';
export { checkBankInvariant } from './invariants/bank-invariant.js';
export { checkBarrierInvariant } from './invariants/barrier-invariant.js';
export type { InvariantResult, InvariantViolation } from './invariants/types.js';
export { checkZookeeperGuarantees, ZK_EPHEMERAL_PARENT, ZK_GUARANTEE_FS, type ZkAnswer, type ZkGuaranteeOutput } from './invariants/zookeeper-guarantees.js';
export { hashValue, showValue, stableStringify, valueEquals } from './models/values.js';

export { check, checkSync, type CheckOptions, type CheckProgress } from './linearizability/check.js';
export type {
  CheckOutcome,
  Counterexample,
  FinalPath,
  LinearizabilityResult,
  OperationView,
  PartitionResult,
  StepView,
  UnknownCause,
} from './linearizability/result.js';

export {
  CONSISTENCY_LEVELS,
  SESSION_GUARANTEES,
  type ConsistencyLevel,
  type GuaranteeResult,
  type LevelResult,
  type LevelStatus,
  type LevelsResult,
  type SessionGuarantee,
  type Violation,
} from './consistency/types.js';
export { checkLevels, checkLevelsSync, type LevelsOptions } from './consistency/levels.js';
export { checkSequential, checkSequentialSync, type SequentialOptions, type SequentialResult } from './consistency/sequential.js';
export { checkEventual, checkSessionGuarantees, type EventualCheckOptions, type SessionCheckOptions } from './consistency/checks.js';
export type { FinalReadsOptions } from './consistency/final-reads.js';
export { checkFreshReads, type FreshReadsOptions, type FreshReadsResult } from './consistency/fresh-reads.js';
export type { DataModelKind } from './consistency/version-table.js';
export type { Anomaly, AnomalyType, DependencyEdge, DependencyKind, IsolationLevel, IsolationOptions, IsolationResult, TransactionView } from './isolation/types.js';
export type { ModelResult, VersionOrderSummary } from './isolation/types.js';
export { TXN_MODELS, isAnomalyName, isTxnModelName, type TxnModel } from './isolation/model-lattice.js';
export { checkIsolation } from './isolation/check-isolation.js';
export { ISOLATION_LEVELS } from './isolation/levels.js';
export type { Report } from './report/report.js';
export { checkHistory, resolveModel, type CheckHistoryOptions } from './report/check-history.js';
export { isTransactionalHistory } from './isolation/micro-ops.js';
export { summarize } from './report/summary.js';
export { REQUIRABLE_LEVELS, isRequiredLevel, meetsRequirement, type RequiredLevel, type Requirement } from './report/requirement.js';
export { renderText } from './report/render-text.js';
export { renderJunit } from './report/render-junit.js';
export { renderTimelineSvg, type TimelineOptions } from './report/render-timeline-svg.js';
export { renderCycleSvg, type CycleGraphInput } from './report/render-cycle-svg.js';
export { escapeXml } from './report/escape.js';
