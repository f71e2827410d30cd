import { VerdictError } from '../errors.js';
import { operationsOf, type History, type Operation } from '../history/op.js';
import { AnomalySink } from './anomaly-sink.js';
import { Budget } from './budget.js';
import { addCycle, namedCycle } from './cycle-anomalies.js';
import { searchComponent } from './cycle-search.js';
import { cycleSpecs, impliesType } from './cycle-specs.js';
import { addDataEdges } from './data-edges.js';
import { Explainer } from './explain.js';
import { buildGraph, countKinds, EdgeBuffer, KIND_NAMES } from './graph.js';
import { findInternalAnomalies } from './internal-anomalies.js';
import { levelCycles, levelGraphs } from './level-cycles.js';
import { levelWitness } from './level-witness.js';
import { ISOLATION_LEVELS, judgeLevels } from './levels.js';
import { findLostUpdates } from './lost-update.js';
import { findNonAtomicCommits } from './non-atomic-commit.js';
import { analysePredicates } from './predicates.js';
import { findReadAnomalies } from './read-anomalies.js';
import { addProcessEdges, addRealtimeEdges } from './time-edges.js';
import { buildTxnTable, ST_FAIL, ST_INFO, ST_OK } from './txn-table.js';
import type { IsolationLevel, IsolationOptions, IsolationResult } from './types.js';
import { recoverVersionOrders } from './version-orders.js';

const DEFAULT_TIME_LIMIT_MS = 5000;
const DEFAULT_PER_TYPE_MAX = 8;

/**
 * Checks a transactional history (Elle's form) for isolation anomalies and names the strongest
 * isolation level that holds.
 *
 * The steps: transactions become integer tables; version orders are recovered (list prefixes,
 * register values and final reads); non-cycle anomalies are found directly; ww/wr/rw (and
 * predicate) edges, then real-time and process edges, make the dependency graph. Whether each
 * level's graph has a cycle is decided exactly with Tarjan's strongly connected components, so
 * a level's verdict never depends on the budget. Within each component the shortest cycle of
 * each kind is searched for, most severe first, under `timeLimitMs`; a kind whose search was cut
 * short (and that was not found) is listed in `unknown`. A level whose graph is cyclic but that
 * no named cycle rules out gets a witness cycle found by one unbudgeted breadth-first search.
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
  const stats: Record<string, number> = {};
  const lap = (name: string, since: number): number => { const t = now(); stats[`${name}Ms`] = Math.round((t - since) * 10) / 10; return t; };

  const table = buildTxnTable(operationsOf(history));
  const orders = recoverVersionOrders(table);
  let mark = lap('index', started);
  const explain = new Explainer(table);
  const sink = new AnomalySink(perTypeMax);
  findReadAnomalies(table, orders, explain, sink);
  findInternalAnomalies(table, explain, sink);
  findLostUpdates(table, explain, sink);
  findNonAtomicCommits(table, orders, explain, sink);
  mark = lap('directAnomalies', mark);

  const edges = new EdgeBuffer(EdgeBuffer.capacityFor(table.n, table.mopKind.length), table.arena);
  addDataEdges(table, orders, edges);
  analysePredicates(table, orders, explain, edges, sink);
  if (realtime) addRealtimeEdges(table, edges);
  if (process) addProcessEdges(table, edges);
  const graph = buildGraph(table.n, edges, table.arena);
  mark = lap('graph', mark);

  const graphs = levelGraphs({ process, realtime });
  const cycles = levelCycles(graph, graphs, table.arena);
  mark = lap('components', mark);

  const unknown: IsolationResult['unknown'] = [];
  const strict = cycles.get('strict-serializable')!;
  if (strict.cyclic) {
    const budget = new Budget(timeLimitMs, options.searchStepsMax ?? Infinity, now);
    const specs = cycleSpecs({ process, realtime });
    const scratch = new Int32Array(table.n).fill(-1);
    const components = [...strict.components!.nontrivial].sort((a, b) => a.length - b.length);
    const cut = new Map<string, number>();
    for (const members of components) {
      const result = searchComponent(graph, members.sort(), specs, budget, scratch);
      for (const cycle of result.cycles) addCycle(cycle, explain, sink);
      for (const type of result.cutShort) cut.set(type, Math.max(cut.get(type) ?? 0, members.length));
    }
    stats.components = components.length;
    stats.largestComponent = components.length > 0 ? components[components.length - 1].length : 0;
    mark = lap('cycleSearch', mark);
    // Every level whose graph is cyclic gets a named cycle, budget or not.
    for (const level of [...ISOLATION_LEVELS].reverse()) {
      const c = cycles.get(level)!;
      if (!c.cyclic || sink.summary().some((a) => a.rulesOut.includes(level))) continue;
      const steps = levelWitness(graph, c.graph.layering, c.components!, c.graph.nonAdjacent);
      if (steps !== null) addCycle(namedCycle(steps), explain, sink);
    }
    const found = [...sink.counts.keys()];
    for (const [type, size] of cut) {
      if (!found.some((f) => impliesType(f, type))) unknown.push({ type, cause: `${budget.cause ?? 'cycle search budget spent'}; in a strongly connected component of ${size} transactions` });
    }
    lap('witnesses', mark);
  }

  const undecided = new Map<IsolationLevel, string>();
  if (!realtime) undecided.set('strict-serializable', 'real-time order was not checked (realtime: false)');
  const judged = judgeLevels({ anomalies: sink.summary(), undecided });
  const status = judged.levels.find((l) => l.level === expected)!.status;
  for (const [i, count] of countKinds(graph).entries()) stats[`edges.${KIND_NAMES[i]}`] = count;
  Object.assign(stats, txnCounts(table.status), { keys: table.keys.length, arenaMiB: Math.round(table.arena.used / 2 ** 20), elapsedMs: Math.round((now() - started) * 10) / 10 });
  return {
    transactions: table.n,
    anomalies: sink.drafts.map((d) => explain.finalize(d)),
    unknown,
    ...judged,
    valid: status === 'holds' ? true : status === 'violated' ? false : 'unknown',
    expected,
    anomalyCounts: Object.fromEntries(sink.counts),
    stats,
  };
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
