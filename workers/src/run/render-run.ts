import { renderText } from '@verdict/checker';
import type { FaultAvailability, PhaseAvailability } from './availability.js';
import type { RunResult } from './result.js';
import { scenarioSummary } from './scenario-summary.js';

/**
 * A run as a person reads it in a terminal: the seed and the command to replay it first, then
 * what happened (phases, faults, availability per partition side), then the checker's report,
 * then the verdict line.
 */
export function renderRun(result: RunResult): string {
  const f = result.facts;
  const m = f.messages;
  const dropped = m.droppedLoss + m.droppedPartition + m.droppedDown;
  const out: string[] = [
    `seed ${f.seed} — reproduce with: ${f.reproduce}`,
    `protocol ${f.protocol}${f.bug !== null ? ` with bug ${f.bug}` : ''} on ${f.nodes.join(' ')}; nemesis ${f.nemesis}; ${f.workload} workload, ${f.operations.client} operations + ${f.operations.finalReads} final reads`,
    ...replicationLines(result),
    ...scenarioLines(result),
    `simulated ${seconds(f.simulatedMs)} of virtual time (${f.events} events) in ${seconds(f.wallMs.simulate)}; checked in ${seconds(f.wallMs.check)}`,
    `messages: ${m.sent} sent, ${m.delivered} delivered, ${dropped} dropped (partition ${m.droppedPartition}, loss ${m.droppedLoss}, at a crashed node ${m.droppedDown}), ${m.duplicated} duplicated`,
    '',
    'Phases:',
    ...f.availability.phases.map(phaseLine),
  ];
  out.push('', f.faults.length === 0 ? 'Faults: none' : `Faults (${f.faults.length}):`);
  for (const fa of f.availability.faults.slice(0, FAULTS_SHOWN_MAX)) out.push(...faultLines(fa));
  if (f.faults.length > FAULTS_SHOWN_MAX) out.push(`  … ${f.faults.length - FAULTS_SHOWN_MAX} more (see --json)`);
  const a = f.availability;
  out.push('', `Availability: ${a.blocked ? `BLOCKED — ${a.blockedReason ?? ''}` : 'the system kept answering'}`);
  out.push(`  recovered after the heal: ${a.recoveredAfterMs === null ? 'never (no ok in the quiet phase)' : `${seconds(a.recoveredAfterMs)} to the first ok`}`);
  out.push('', renderText(result.report).trimEnd(), '', `RUN: ${result.headline}`, `reproduce: ${f.reproduce}`);
  return `${out.join('\n')}\n`;
}

const FAULTS_SHOWN_MAX = 12;

/** The shape of a store with tunable replication, and the clocks its last-writer-wins depends on. */
function replicationLines(result: RunResult): string[] {
  const spec = result.spec;
  const r = spec.replication;
  if (r === null) return [];
  const clocks = spec.clockOffsetMsMax === 0 ? 'clocks start in step' : `clocks start up to ±${spec.clockOffsetMsMax} ms apart`;
  return [`replication: N=${r.n} R=${r.r} W=${r.w}, ${r.resolve}, ${r.sloppyQuorum ? 'sloppy' : 'strict'} quorum; clients ${spec.routing}; ${clocks}`];
}

/** The scenario or protocol-timed nemesis a run used, if any: they explain its fault times. */
function scenarioLines(result: RunResult): string[] {
  const spec = result.spec;
  if (spec.scenario !== null) return [`scenario ${spec.scenario}: ${scenarioSummary({ ...spec.scenarioSpec, ...(spec.nemesisTrigger !== null ? { nemesisTrigger: spec.nemesisTrigger } : {}) })}`];
  if (spec.nemesisTrigger !== null) return [`faults on mark ${spec.nemesisTrigger}, aimed at the node that marked it`];
  return [];
}

function phaseLine(p: PhaseAvailability): string {
  const stall = p.longestStallMs > 0 ? `; longest without an ok ${seconds(p.longestStallMs)}` : '';
  const silence = p.longestSilenceMs > 0 ? `, without any answer ${seconds(p.longestSilenceMs)}` : '';
  return `  ${p.phase.padEnd(7)} ${seconds(p.startMs).padStart(9)} – ${seconds(p.endMs).padEnd(9)} ok ${p.ok}, fail ${p.fail}, info ${p.info}${stall}${silence}`;
}

function faultLines(fa: FaultAvailability): string[] {
  const lines = [`  ${seconds(fa.startMs).padStart(9)} – ${seconds(fa.endMs).padEnd(9)} ${fa.description}: ok ${fa.ok}, fail ${fa.fail}, info ${fa.info}`];
  if (fa.blockedKeys.length > 0) {
    lines.push(`      blocked keys (no success at the live nodes): ${fa.blockedKeys.map((k) => `${JSON.stringify(k.key)} (${k.attempted} tried: ${k.fail} failed, ${k.unanswered} unanswered)`).join(', ')}`);
  }
  for (const s of fa.sides ?? []) {
    const verdict = s.available === null ? 'too short to tell' : s.available ? 'available' : 'UNAVAILABLE';
    const settled = `settled: ok ${s.settled.ok}, fail ${s.settled.fail}, unanswered ${s.settled.unanswered}`;
    lines.push(`      side ${s.nodes.join(' ')}: ${verdict} (${settled}; in all ok ${s.ok}, fail ${s.fail}, info ${s.info})`);
  }
  return lines;
}

function seconds(ms: number): string {
  return ms < 1_000 ? `${ms.toFixed(1)} ms` : `${(ms / 1_000).toFixed(2)} s`;
}
