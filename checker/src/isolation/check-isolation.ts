import { VerdictError } from '../errors.js';
import { operationsOf, type History, type Operation } from '../history/op.js';
import { AnomalySink } from './anomaly-sink.js';
import { Budget } from './budget.js';
import { modelsNoPlacementDecides } from './absent-placements.js';
import { absentReadCause, ambiguousCreatorCause, assumptions, expectation, partialOrderCause, unorderedAppendsCause, validity, versionOrderSummary } from './claims.js';
import { addCycle, namedCycle } from './cycle-anomalies.js';
import { searchComponent } from './cycle-search.js';
import { cycleSpecs, impliesType } from './cycle-specs.js';
import { reportCyclicVersions } from './cyclic-versions.js';
import { addDataEdges } from './data-edges.js';
import { findDirtyUpdates } from './dirty-update.js';
import { exactClaims } from './exact-claims.js';
import { Explainer } from './explain.js';
import { buildGraph, countKinds, EdgeBuffer, KIND_NAMES } from './graph.js';
import { findInternalAnomalies } from './internal-anomalies.js';
import { levelCycles, levelGraphs } from './level-cycles.js';
import { levelWitness } from './level-witness.js';
import { ISOLATION_LEVELS, seedLevels } from './levels.js';
import { findLostUpdates } from './lost-update.js';
import type { TxnModel } from './model-lattice.js';
import { boundary, judgeModels, strongestHolding } from './model-verdicts.js';
import { findNonAtomicCommits } from './non-atomic-commit.js';
import { analysePredicates } from './predicates.js';
import { findReadAnomalies } from './read-anomalies.js';
import { RegisterEdges } from './register-edges.js';
import { inferRegisterOrders } from './register-versions.js';
import { addProcessEdges, addRealtimeEdges } from './time-edges.js';
import { buildTxnTable, ST_FAIL, ST_INFO, ST_OK } from './txn-table.js';
import type { IsolationLevel, IsolationOptions, IsolationResult } from './types.js';
import { recoverVersionOrders } from './version-orders.js';

const DEFAULT_TIME_LIMIT_MS = 5000;
const DEFAULT_PER_TYPE_MAX = 8;
const DEFAULT_EXACT_TXNS_MAX = 10_000;
const DEFAULT_EXACT_MEMORY_BYTES = 1024 ** 3;

/** Models whose graphs have anti-dependencies: an unknown register version order leaves them undecided. */
const NEEDS_VERSION_ORDER: readonly TxnModel[] = [
  'strict-serializable', 'strong-session-serializable', 'serializable', 'strong-snapshot-isolation',
  'strong-session-snapshot-isolation', 'snapshot-isolation', 'repeatable-read', 'consistent-view',
];
/** Models whose graphs have read dependencies: a scan's unknown creator leaves them undecided. */
const NEEDS_READ_DEPENDENCIES: readonly TxnModel[] = [
  ...NEEDS_VERSION_ORDER, 'strong-read-committed', 'strong-session-read-committed', 'read-committed',
];
const REALTIME_MODELS: readonly TxnModel[] = ['strict-serializable', 'strong-snapshot-isolation', 'strong-read-committed', 'strong-read-uncommitted'];
const EXACT_MODELS: readonly TxnModel[] = ['serializable', 'strong-session-serializable', 'strict-serializable'];
const PROCESS_MODELS: readonly TxnModel[] = ['strong-session-serializable', 'strong-session-snapshot-isolation', 'strong-session-read-committed', 'strong-session-read-uncommitted'];

/**
 * Checks a transactional history (Elle's form) for isolation anomalies and judges every model of
 * Elle's lattice: holds, violated (with the anomalies that show it) or unknown (with why).
 *
 * The steps: transactions become integer tables; version orders are recovered (list prefixes;
 * for registers, the facts the history proves, see register-versions.ts); non-cycle anomalies
 * are found directly; ww/wr/rw (and predicate) edges, then real-time and process edges, make the
 * dependency graph. Whether each model's graph has a cycle is decided exactly with Tarjan's
 * strongly connected components, so no verdict depends on the budget. Within each component the
 * shortest cycle of each kind is searched for, most severe first, under `timeLimitMs`; a kind
 * whose search was cut short (and that was not found) is listed in `unknown`. A model whose graph
 * is cyclic but that no named cycle rules out gets a witness cycle from one unbudgeted search.
 *
 * A model is claimed only where the graph is exact for it: when some register key's version order
 * is only partly known, the models with anti-dependencies are undecided, and the serializable
 * ones go to an exact search over every order of the transactions (as linearizability does).
 */
export function checkIsolation(history: History | readonly Operation[], options: IsolationOptions = {}): IsolationResult {
  const now = (): number => performance.now();
  const started = now();
  const realtime = options.realtime ?? true;
  const process = options.process ?? true;
  const timeLimitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
  if (!(timeLimitMs >= 0)) throw new VerdictError('VRD_ERR_CHECK_OPTIONS', `timeLimitMs must be a non-negative number, got ${String(options.timeLimitMs)}`);
  const perTypeMax = options.anomaliesPerTypeMax ?? DEFAULT_PER_TYPE_MAX;
  const expected: IsolationLevel = options.expected ?? (realtime ? 'strict-serializable' : 'serializable');
  if (!ISOLATION_LEVELS.includes(expected)) throw new VerdictError('VRD_ERR_CHECK_OPTIONS', `unknown isolation level ${JSON.stringify(expected)}`);
  const expect = expectation(options.consistencyModels, options.anomalies, expected);
  const stats: Record<string, number> = {};
  const lap = (name: string, since: number): number => { const t = now(); stats[`${name}Ms`] = Math.round((t - since) * 10) / 10; return t; };

  const table = buildTxnTable(operationsOf(history));
  const orders = recoverVersionOrders(table);
  const registers = inferRegisterOrders(table, orders, { sequentialKeys: options.sequentialKeys === true, linearizableKeys: options.linearizableKeys === true });
  let mark = lap('index', started);
  const explain = new Explainer(table);
  const sink = new AnomalySink(perTypeMax);
  findReadAnomalies(table, orders, explain, sink);
  findDirtyUpdates(table, orders, explain, sink);
  findInternalAnomalies(table, explain, sink);
  findLostUpdates(table, explain, sink);
  findNonAtomicCommits(table, orders, explain, sink);
  reportCyclicVersions(table, registers, sink);
  mark = lap('directAnomalies', mark);

  const edges = new EdgeBuffer(EdgeBuffer.capacityFor(table.n, table.mopKind.length), table.arena);
  addDataEdges(table, orders, new RegisterEdges(table, registers), edges);
  const predicateFacts = analysePredicates(table, orders, explain, edges, sink);
  if (realtime) addRealtimeEdges(table, edges);
  if (process) addProcessEdges(table, edges);
  const graph = buildGraph(table.n, edges, table.arena);
  mark = lap('graph', mark);

  const graphs = levelGraphs({ process, realtime });
  // The biggest graph first: the typed searches run in its components, and what they find
  // settles most other models before their own graphs are searched.
  const biggest = levelCycles(graph, [graphs[0]], table.arena).get(graphs[0].model)!;
  mark = lap('components', mark);

  const unknown: IsolationResult['unknown'] = [];
  let cycles = new Map([[graphs[0].model, biggest]]);
  if (biggest.cyclic) {
    const budget = new Budget(timeLimitMs, options.searchStepsMax ?? Infinity, now);
    const specs = cycleSpecs({ process, realtime });
    const scratch = new Int32Array(table.n).fill(-1);
    const components = [...biggest.components!.nontrivial].sort((a, b) => a.length - b.length);
    const cut = new Map<string, number>();
    for (const members of components) {
      const result = searchComponent(graph, members.sort(), specs, budget, scratch);
      for (const cycle of result.cycles) addCycle(cycle, explain, sink);
      for (const type of result.cutShort) cut.set(type, Math.max(cut.get(type) ?? 0, members.length));
    }
    stats.components = components.length;
    stats.largestComponent = components.length > 0 ? components[components.length - 1].length : 0;
    mark = lap('cycleSearch', mark);
    cycles = new Map([...cycles, ...levelCycles(graph, graphs.slice(1), table.arena, [], (m) => sink.rulesOut(m))]);
    stats.componentsMs = (stats.componentsMs ?? 0) + Math.round((performance.now() - mark) * 10) / 10;
    mark = now();
    // Every model whose graph is cyclic gets a named cycle, budget or not.
    for (const g of [...graphs].reverse()) {
      const c = cycles.get(g.model)!;
      if (!c.cyclic || c.components === null || sink.rulesOut(g.model)) continue;
      const steps = levelWitness(graph, g.layering, c.components!, g.nonAdjacent);
      if (steps !== null) addCycle(namedCycle(steps), explain, sink);
    }
    const found = [...sink.counts.keys()];
    for (const [type, size] of cut) {
      if (!found.some((f) => impliesType(f, type))) unknown.push({ type, cause: `${budget.cause ?? 'cycle search budget spent'}; in a strongly connected component of ${size} transactions` });
    }
    mark = lap('witnesses', mark);
  }

  const undecided = new Map<TxnModel, string>();
  if (!realtime) for (const m of REALTIME_MODELS) undecided.set(m, 'real-time order was not checked (realtime: false)');
  if (!process) for (const m of PROCESS_MODELS) undecided.set(m, 'process order was not checked (process: false)');
  if (table.scans.length > 0) undecided.set('consistent-view', 'a cycle with one predicate anti-dependency is not searched for exhaustively');
  const gSingleCut = unknown.find((u) => u.type === 'G-single');
  if (gSingleCut !== undefined) undecided.set('consistent-view', `the G-single search was cut short (${gSingleCut.cause})`);
  const unorderedAppends = unorderedAppendsCause(table, orders);
  if (unorderedAppends !== undefined) {
    for (const m of ['strong-snapshot-isolation', 'strong-session-snapshot-isolation', 'snapshot-isolation', 'consistent-view'] as const) if (!undecided.has(m)) undecided.set(m, unorderedAppends);
  }
  const ambiguous = ambiguousCreatorCause(table, predicateFacts);
  const absent = absentReadCause(table, predicateFacts);
  if (ambiguous !== undefined || absent !== undefined) {
    const pending = new Set(NEEDS_READ_DEPENDENCIES.filter((m) => !undecided.has(m) && !sink.rulesOut(m)));
    for (const m of modelsNoPlacementDecides(table, edges, predicateFacts, graphs, pending)) undecided.set(m, ambiguous ?? absent!);
  }
  const partial = partialOrderCause(table, registers) ?? ambiguous;
  const absentUndecided = absent !== undefined && EXACT_MODELS.some((m) => undecided.get(m) === absent);
  let exact: ReturnType<typeof exactClaims> | undefined;
  if (partial !== undefined || absentUndecided) {
    if (partial !== undefined) for (const m of NEEDS_VERSION_ORDER) if (!undecided.has(m)) undecided.set(m, partial);
    const txnsMax = options.exactTxnsMax ?? DEFAULT_EXACT_TXNS_MAX;
    const why = table.n > txnsMax ? `the exact search takes at most ${txnsMax} transactions, and there are ${table.n}` : undefined;
    if (why === undefined) {
      exact = exactClaims(table, sink, { process, realtime, timeLimitMs, memoryLimitBytes: options.exactMemoryLimitBytes ?? DEFAULT_EXACT_MEMORY_BYTES });
      // Only what the graph left undecided: a search cut short takes no verdict the graph made.
      for (const [m, cause] of exact.unknown) if (undecided.has(m)) undecided.set(m, `${undecided.get(m)}; ${cause}`);
    } else {
      for (const m of ['serializable', 'strong-session-serializable', 'strict-serializable'] as const) if (undecided.has(m)) undecided.set(m, `${undecided.get(m)}; ${why}`);
    }
    mark = lap('exactSearch', mark);
  }

  const models = judgeModels({ found: sink.found(), undecided, proven: exact?.proven ?? new Map() });
  const seed = seedLevels(models);
  for (const [i, count] of countKinds(graph).entries()) stats[`edges.${KIND_NAMES[i]}`] = count;
  Object.assign(stats, txnCounts(table.status), { keys: table.keys.length, arenaMiB: Math.round(table.arena.used / 2 ** 20), elapsedMs: Math.round((now() - started) * 10) / 10 });
  const result: IsolationResult = {
    transactions: table.n,
    anomalies: sink.drafts.map((d) => explain.finalize(d)),
    unknown,
    ...seed,
    valid: validity(expect, sink.found(), models, unknown.map((u) => u.type)),
    expected,
    anomalyCounts: Object.fromEntries(sink.counts),
    elleNames: Object.fromEntries(sink.found()),
    models: models.map((m) => ({ ...m })),
    strongestModels: strongestHolding(models),
    ...boundary(models),
    consistencyModels: [...expect.models],
    assumptions: assumptions(table, registers, { realtime, exact: exact !== undefined }),
    versionOrders: versionOrderSummary(table, registers),
    stats,
  };
  if (exact !== undefined) {
    result.exactSearch = exact.outcomes.map((o) => ({ model: o.model, outcome: o.outcome, ...(o.cause !== undefined ? { cause: o.cause } : {}), steps: o.steps, elapsedMs: o.elapsedMs }));
  }
  lap('judge', mark);
  return result;
}

function txnCounts(status: Uint8Array): Record<string, number> {
  let ok = 0;
  let info = 0;
  let fail = 0;
  for (const s of status) {
    if (s === ST_OK) ok++; else if (s === ST_INFO) info++; else if (s === ST_FAIL) fail++;
  }
  return { ok, info, fail };
}
