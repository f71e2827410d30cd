import { VerdictError } from '../errors.js';
import { showEdn } from './explain.js';
import { anomaliesProhibitedBy, elleName, impliedAnomalies, knownAnomalies, modelNamed, type TxnModel } from './model-lattice.js';
import type { ModelVerdict } from './model-verdicts.js';
import type { PredicateFacts } from './predicates.js';
import { SRC_FINAL, SRC_PROCESS, SRC_REALTIME, sourceNames, type RegisterOrders } from './register-versions.js';
import { KEY_LIST, KEY_REGISTER, ST_FAIL, ST_INFO, writtenValue, type TxnTable } from './txn-table.js';
import type { VersionOrders } from './version-orders.js';
import type { VersionOrderSummary } from './types.js';

const PARTIAL_SHOWN_MAX = 8;

/** What is known of the register keys' version orders, for the report. */
export function versionOrderSummary(table: TxnTable, registers: RegisterOrders): VersionOrderSummary {
  let registerKeys = 0;
  let knownKeys = 0;
  for (let k = 0; k < table.keys.length; k++) {
    if (table.keyKind[k] !== KEY_REGISTER) continue;
    registerKeys++;
    if (registers.total[k] === 1) knownKeys++;
  }
  const show = (node: number): unknown => (node < 0 ? null : writtenValue(table, node));
  return {
    registerKeys,
    knownKeys,
    partialKeys: registers.partial.slice(0, PARTIAL_SHOWN_MAX).map((p) => ({ key: table.keys[p.key], unordered: [show(p.a), show(p.b)] })),
    partialKeyCount: registers.partial.length,
    sources: sourceNames(registers.sourcesUsed),
  };
}

/** Why the models that need anti-dependencies cannot be decided from the graph, or undefined. */
export function partialOrderCause(table: TxnTable, registers: RegisterOrders): string | undefined {
  const first = registers.partial[0];
  if (first === undefined) return undefined;
  const show = (node: number): string => (node < 0 ? 'nil' : showEdn(writtenValue(table, node)));
  const more = registers.partial.length > 1 ? ` (and ${registers.partial.length - 1} more key${registers.partial.length > 2 ? 's' : ''})` : '';
  return `the version order of register key ${showEdn(table.keys[first.key])} is unknown: nothing in the history orders ${show(first.a)} and ${show(first.b)}${more}; `
    + 'the dependency graph cannot show a model with anti-dependencies holds (--linearizable-keys or --sequential-keys add real-time or process order, if the store guarantees it per key)';
}

/** Why the models with read dependencies cannot be decided from the graph (a scan saw a key of unknown creator), or undefined. */
export function ambiguousCreatorCause(table: TxnTable, facts: PredicateFacts): string | undefined {
  const first = facts.ambiguous[0];
  if (first === undefined) return undefined;
  return `a scan saw key ${showEdn(table.keys[first.key])}, which any of ${first.writers.length} transactions may have created, and nothing shows which: `
    + 'the dependency graph cannot show a model with read dependencies holds';
}

/** Why a model with read or anti-dependencies cannot be decided from the graph (a read found a deleted key absent, before its insert or after its delete), or undefined. */
export function absentReadCause(table: TxnTable, facts: PredicateFacts): string | undefined {
  const first = facts.absent[0];
  if (first === undefined) return undefined;
  const more = facts.absent.length > 1 ? ` (and ${facts.absent.length - 1} more such read${facts.absent.length > 2 ? 's' : ''})` : '';
  return `a ${first.scan ? 'scan' : 'read'} found key ${showEdn(table.keys[first.key])} absent, either before its insert or after its delete, and nothing shows which${more}; `
    + 'no placement of such reads keeps the dependency graph free of this model\'s cycles, so the graph cannot show it holds';
}

/**
 * Why snapshot isolation and consistent view cannot be shown to hold from the graph when two
 * transactions' appends to one list key no read shows (their order is unknown), or undefined.
 * The plain graphs are not affected: their edges can be ordered along a topological order of
 * the graph (nothing reads those appends), so an acyclic graph stays acyclic; but "no cycle
 * with one anti-dependency" and "no cycle without two adjacent ones" can fail either way.
 */
export function unorderedAppendsCause(table: TxnTable, orders: VersionOrders): string | undefined {
  const happened = new Uint8Array(table.n);
  for (let v = 0; v < table.vCount; v++) if (orders.vObserved[v] === 1) happened[table.vTxn[v]] = 1;
  for (let k = 0; k < table.keys.length; k++) {
    if (table.keyKind[k] !== KEY_LIST) continue;
    let first = -1;
    for (let i = orders.keyVidStart[k]; i < orders.keyVidStart[k + 1]; i++) {
      const vid = orders.keyVids[i];
      const w = table.vTxn[vid];
      if (orders.vPos[vid] >= 0 || table.status[w] === ST_FAIL || (table.status[w] === ST_INFO && happened[w] === 0)) continue;
      if (first < 0) first = vid;
      else if (w !== table.vTxn[first]) {
        return `no read shows the appends of ${showEdn(writtenValue(table, first))} and ${showEdn(writtenValue(table, vid))} to list key ${showEdn(table.keys[k])} (by two transactions), so their order is unknown; `
          + 'snapshot isolation and consistent view can fail in every order while the graph shows no such cycle';
      }
    }
  }
  return undefined;
}

/** What the verdicts rest on, one sentence each. */
export function assumptions(table: TxnTable, registers: RegisterOrders, options: { realtime: boolean; exact: boolean }): string[] {
  const out = ['Written values are unique per key, so each read names the write it saw.'];
  const hasList = table.keyKind.subarray(0, table.keys.length).includes(KEY_LIST);
  const hasRegister = table.keyKind.subarray(0, table.keys.length).includes(KEY_REGISTER);
  if (hasList) out.push('List keys: every read shows a state of the list, so the longest read orders the appends it shows; appends no read shows come after them, in an unknown order among themselves.');
  if (hasRegister) {
    out.push('Register keys: the initial nil precedes every written value, and a transaction\'s write follows the version it read of that key (writes follow reads; true of every level from read committed up).');
    if ((registers.sourcesUsed & SRC_FINAL) !== 0) out.push('Final reads (phase "final") that agree show their key\'s last version.');
    if ((registers.sourcesUsed & SRC_PROCESS) !== 0) out.push('Each key is sequentially consistent (--sequential-keys): a process\'s transactions see its versions in order.');
    if ((registers.sourcesUsed & SRC_REALTIME) !== 0) out.push('Each key is linearizable (--linearizable-keys): a transaction that completed before another began saw an earlier or the same version.');
    if (registers.partial.length > 0) out.push(`${registers.partial.length} register key(s) have versions nothing orders: models with anti-dependencies hold only where ${options.exact ? 'the exact search over every order proves it' : 'a stronger model is proved'}, and are unknown otherwise.`);
  }
  if (table.deleter.some((d) => d >= 0)) {
    out.push('Deleted keys exist from their one insert to their one delete; a read that found one absent came before the insert or after the delete, and a model holds only if some such placement of every read keeps its graph free of the cycles it forbids.');
  }
  out.push('An indeterminate (info) transaction may or may not have taken effect; one whose writes no read shows is left out.');
  if (options.realtime) out.push('Real-time order is the history\'s order of invocations and completions.');
  return out;
}

/** The models and anomalies `valid` is judged by: Elle's `:consistency-models` and `:anomalies`. */
export interface Expectation {
  models: TxnModel[];
  /** Elle names of every anomaly that makes the history invalid. */
  prohibited: Set<string>;
}

export function expectation(consistencyModels: readonly string[] | undefined, anomalies: readonly string[] | undefined, fallback: TxnModel): Expectation {
  const models = (consistencyModels ?? (anomalies !== undefined ? [] : [fallback])).map((name) => {
    const m = modelNamed(name);
    if (m === undefined) throw new VerdictError('VRD_ERR_CHECK_OPTIONS', `unknown consistency model ${JSON.stringify(name)}`);
    return m;
  });
  const known = knownAnomalies();
  const wanted = new Set<string>();
  for (const a of anomalies ?? []) {
    const name = elleName(a);
    if (!known.has(name)) throw new VerdictError('VRD_ERR_CHECK_OPTIONS', `unknown anomaly ${JSON.stringify(a)}`);
    wanted.add(name);
  }
  const prohibited = anomaliesProhibitedBy(models);
  for (const a of known) if ([...impliedAnomalies(a)].some((x) => wanted.has(x))) prohibited.add(a);
  return { models, prohibited };
}

/** Valid when no prohibited anomaly was found and every expected model holds; unknown when undecided. */
export function validity(expect: Expectation, found: ReadonlyMap<string, readonly string[]>, verdicts: readonly ModelVerdict[], unknownTypes: readonly string[]): boolean | 'unknown' {
  for (const names of found.values()) if (names.some((n) => expect.prohibited.has(n))) return false;
  if (expect.models.some((m) => verdicts.find((v) => v.model === m)?.status !== 'holds')) return 'unknown';
  if (unknownTypes.some((t) => expect.prohibited.has(elleName(t)))) return 'unknown';
  return true;
}
