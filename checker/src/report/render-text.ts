import type { LevelsResult } from '../consistency/types.js';
import type { InvariantResult } from '../invariants/types.js';
import type { IsolationResult } from '../isolation/types.js';
import type { Counterexample, LinearizabilityResult, OperationView } from '../linearizability/result.js';
import type { Report } from './report.js';

/** The report as a person reads it in a terminal. History values are shown escaped. */
export function renderText(report: Report): string {
  const out: string[] = [];
  const h = report.history;
  out.push(`${h.source ?? 'history'}  (${[h.format, `${h.operations} operations`, `${h.processes} processes`, h.faults > 0 ? `${h.faults} fault events` : undefined].filter(Boolean).join(', ')})`);
  for (const w of h.warnings ?? []) out.push(`warning: ${w}`);
  if (report.model !== undefined) out.push(`model: ${report.model}`);
  out.push('');
  out.push(`VERDICT: ${headline(report)}`);
  if (report.linearizability !== undefined) out.push('', ...linearizabilityText(report.linearizability));
  if (report.consistency !== undefined) out.push('', ...levelsText(report.consistency));
  if (report.isolation !== undefined) out.push('', ...isolationText(report.isolation));
  for (const invariant of report.invariants ?? []) out.push('', ...invariantText(invariant));
  out.push('', `checked in ${formatMs(report.elapsedMs)}`);
  return sanitize(`${out.join('\n')}\n`);
}

function headline(report: Report): string {
  const v = report.verdict;
  const word = v.outcome === 'ok' ? 'OK' : v.outcome === 'violated' ? 'VIOLATED' : 'UNKNOWN';
  return `${word} — ${v.summary}`;
}

function linearizabilityText(lin: LinearizabilityResult): string[] {
  const decided = lin.partitions.filter((p) => p.outcome !== 'unknown').length;
  const out = [
    `Linearizability (${lin.model}): ${lin.outcome === 'ok' ? 'linearizable' : lin.outcome === 'illegal' ? 'NOT linearizable' : 'unknown'}`,
    `  ${lin.operations} operations checked in ${lin.partitions.length} partition(s), ${decided} decided; ${lin.stats.steps} search steps, ${formatMs(lin.stats.elapsedMs)}${lin.stats.threads > 1 ? ` on ${lin.stats.threads} threads` : ''}`,
  ];
  if (lin.cause !== undefined) out.push(`  ${lin.outcome === 'unknown' ? 'undecided: ' : 'note: '}${lin.cause.message}`);
  if (lin.counterexample !== undefined) out.push(...counterexampleText(lin.counterexample));
  return out;
}

function counterexampleText(cx: Counterexample): string[] {
  const out: string[] = [];
  if (cx.partition !== '') out.push(`  in partition (key) ${JSON.stringify(cx.partition)}`);
  out.push('', `  Witness (${cx.witness.operations.length} operations${cx.witness.minimal ? ', minimal' : ', shrinking stopped at its budget'}):`);
  for (const op of cx.witness.operations) out.push(`    ${opLine(op)}`);
  out.push(`  ${cx.witness.explanation}.`);
  out.push('', `  Longest linearizable prefix: ${cx.prefixLength} operation(s) from initial state ${cx.initialState}${cx.prefix.length < cx.prefixLength ? `; the last ${cx.prefix.length}` : ''}:`);
  for (const step of cx.prefix) out.push(`    ${opLine(step.op)}  ⇒ ${step.state}`);
  out.push(`  cannot be followed by: ${opLine(cx.blocked)}`);
  const path = cx.finalPaths[0];
  if (path !== undefined && path.attempts.length > 0) {
    out.push('  At that point, every pending operation fails:');
    for (const a of path.attempts.slice(0, 12)) out.push(`    - ${a.op.description} (process ${procName(a.op.process)}): ${a.reason}`);
    if (path.attempts.length > 12) out.push(`    … and ${path.attempts.length - 12} more`);
  }
  if (cx.finalPaths.length > 1) out.push(`  (${cx.finalPaths.length} distinct paths reach the same depth; --json shows them all)`);
  return out;
}

function opLine(op: OperationView): string {
  const span = `[${op.call}, ${op.ret ?? '…'}]`;
  const status = op.status === 'ok' ? '' : ` (${op.status === 'info' ? 'indeterminate' : 'failed'})`;
  return `#${op.id} process ${procName(op.process)} ${span.padEnd(14)} ${op.description}${status}`;
}

function invariantText(invariant: InvariantResult): string[] {
  const out = [`Invariant ${invariant.name}: ${invariant.status} — ${invariant.checks} (${invariant.observations} ${invariant.name === 'zookeeper-writes' ? 'writes' : invariant.name.startsWith('zookeeper-') ? 'observations' : 'reads'})`];
  if (invariant.cause !== undefined) out.push(`  undecided: ${invariant.cause}`);
  for (const [kind, n] of Object.entries(invariant.counts)) out.push(`  ${kind}: ${n}`);
  for (const v of invariant.violations) out.push(`    - ${v.sentence} (operation #${v.operations.join(', #')})`);
  return out;
}

function levelsText(levels: LevelsResult): string[] {
  const out = [`Consistency levels (strongest that holds: ${levels.strongest}):`];
  for (const l of levels.levels) {
    out.push(`  ${l.level.padEnd(11)} ${l.status === 'not-applicable' ? 'not applicable' : l.status}${l.cause !== undefined ? ` — ${l.cause}` : ''}`);
    for (const v of (l.violations ?? []).slice(0, 5)) {
      out.push(`    - ${v.sentence}`);
      for (const op of v.operations.slice(0, 6)) out.push(`        ${opLine(op)}`);
    }
    if ((l.violations?.length ?? 0) > 5) out.push(`    … ${l.violations!.length - 5} more (see --json)`);
  }
  return out;
}

function isolationText(iso: IsolationResult): string[] {
  const out = [`Isolation (${iso.transactions} transactions; strongest level that holds: ${iso.strongest}):`];
  for (const l of iso.levels) out.push(`  ${l.level.padEnd(20)} ${l.status}${l.ruledOutBy !== undefined && l.ruledOutBy.length > 0 ? ` — ruled out by ${l.ruledOutBy.join(', ')}` : ''}${l.status === 'unknown' && l.cause !== undefined ? ` — ${l.cause}` : ''}`);
  out.push(...modelsText(iso));
  if (iso.anomalies.length > 0) out.push('  Anomalies:');
  for (const a of iso.anomalies.slice(0, 20)) {
    out.push(`  - ${a.type}: ${a.sentence}`);
    for (const t of a.transactions.slice(0, 6)) out.push(`      ${t.name} process ${procName(t.process)} [${t.call}, ${t.ret ?? '…'}] ${t.status}: ${JSON.stringify(t.ops)}`);
    if (a.edges.length > 0) out.push(`      edges: ${a.edges.map((e) => `${e.from} -${e.kind}${e.key !== undefined ? `(${JSON.stringify(e.key)})` : ''}→ ${e.to}`).join(', ')}`);
  }
  if (iso.anomalies.length > 20) out.push(`  … ${iso.anomalies.length - 20} more (see --json)`);
  for (const u of iso.unknown) out.push(`  unknown: ${u.type} — ${u.cause}`);
  for (const e of iso.exactSearch ?? []) out.push(`  exact search for ${e.model}: ${e.outcome === 'ok' ? 'an order exists' : e.outcome === 'illegal' ? 'no order exists' : 'unknown'} (${e.steps} steps, ${formatMs(e.elapsedMs)})${e.cause !== undefined ? ` — ${e.cause}` : ''}`);
  if ((iso.assumptions?.length ?? 0) > 0) {
    out.push('  Assuming:');
    for (const a of iso.assumptions!) out.push(`    - ${a}`);
  }
  return out;
}

/** Elle's finer lattice, briefly: the strongest models that hold, the boundary, and the unknown ones by cause. */
function modelsText(iso: IsolationResult): string[] {
  if (iso.models === undefined) return [];
  const out = [`  Models (Elle's lattice): strongest that hold: ${(iso.strongestModels ?? []).join(', ') || 'none'}`];
  if ((iso.not?.length ?? 0) > 0) out.push(`    not: ${iso.not!.join(', ')}${(iso.alsoNot?.length ?? 0) > 0 ? `; also not: ${iso.alsoNot!.join(', ')}` : ''}`);
  const byCause = new Map<string, string[]>();
  for (const m of iso.models) {
    if (m.status !== 'unknown') continue;
    const list = byCause.get(m.cause ?? '');
    if (list === undefined) byCause.set(m.cause ?? '', [m.model]); else list.push(m.model);
  }
  for (const [cause, models] of byCause) out.push(`    unknown: ${models.join(', ')}${cause !== '' ? ` — ${cause}` : ''}`);
  const orders = iso.versionOrders;
  if (orders !== undefined && orders.partialKeyCount > 0) {
    const shown = orders.partialKeys.map((p) => `${JSON.stringify(p.key)} (${p.unordered.map((v) => JSON.stringify(v)).join(' vs ')})`).join(', ');
    out.push(`    register version orders: ${orders.knownKeys} of ${orders.registerKeys} keys known; partial: ${shown}${orders.partialKeyCount > orders.partialKeys.length ? ', …' : ''}`);
  }
  return out;
}

function procName(p: number | string): string {
  return typeof p === 'number' ? String(p) : JSON.stringify(p);
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** Terminal control characters from a history must never reach the terminal raw. */
function sanitize(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
