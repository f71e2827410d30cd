import { checkIsolation, checkLevels, createModel, summarize, type CheckProgress, type History, type Report } from '@verdict/checker';
import type { ProtocolDefinition } from '../protocols/protocol.js';

export interface CheckRunOptions {
  /** Each search's time budget; beyond it that level is `unknown`, never a pass. */
  timeLimitMs: number;
  signal?: AbortSignal;
  onProgress?: (progress: CheckProgress) => void;
}

/**
 * The integration point between a simulated run and the checkers:
 * - `kv` workloads: every consistency level (`checkLevels`: linearizability against the
 *   protocol's model, sequential, session, per-user, eventual from the final reads);
 * - `txn` workloads: isolation anomalies and levels (`checkIsolation`), non-atomic commit
 *   included.
 * The checker's `checkHistory` does not run these two yet; once it does, this collapses into
 * one call to it.
 */
export async function checkRunHistory(history: History, protocol: ProtocolDefinition, options: CheckRunOptions): Promise<Report> {
  const started = performance.now();
  const report: Report = {
    version: 1,
    kind: protocol.workload === 'kv' ? 'single-object' : 'transactional',
    history: historyFacts(history),
    verdict: { outcome: 'unknown', summary: '' },
    elapsedMs: 0,
  };
  if (protocol.workload === 'kv') {
    const model = createModel(protocol.model?.name ?? 'kv', protocol.model?.init);
    const consistency = await checkLevels(history, model, {
      timeLimitMs: options.timeLimitMs,
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
    });
    report.model = model.name;
    if (consistency.linearizability !== undefined) report.linearizability = consistency.linearizability;
    report.consistency = consistency;
  } else {
    report.isolation = checkIsolation(history, { timeLimitMs: options.timeLimitMs });
  }
  report.verdict = summarize(report);
  report.elapsedMs = Math.round((performance.now() - started) * 10) / 10;
  return report;
}

function historyFacts(history: History): Report['history'] {
  return {
    events: history.ops.length,
    operations: history.operations.length,
    processes: new Set(history.operations.map((o) => o.process)).size,
    faults: history.events.length,
    ...(history.source !== undefined ? { source: history.source } : {}),
  };
}
