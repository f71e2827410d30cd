import { checkHistory, createModel, type CheckProgress, type History, type Report } from '@verdict/checker';
import type { ProtocolDefinition } from '../protocols/protocol.js';

export interface CheckRunOptions {
  /** Each search's time budget; beyond it that level is `unknown`, never a pass. */
  timeLimitMs: number;
  signal?: AbortSignal;
  onProgress?: (progress: CheckProgress) => void;
}

/**
 * The integration point between a simulated run and the checkers: `kv` workloads get every
 * consistency level against the protocol's model (linearizability, sequential, session,
 * per-user, eventual from the final reads); `txn` workloads get isolation anomalies and levels,
 * non-atomic commit included.
 */
export async function checkRunHistory(history: History, protocol: ProtocolDefinition, options: CheckRunOptions): Promise<Report> {
  return checkHistory(history, {
    // A recipe's ops (a lock's acquire and release, a counter's add) are judged by their model alone:
    // the consistency levels read register and kv histories.
    ...(protocol.workload === 'kv' ? { model: createModel(protocol.model?.name ?? 'kv', protocol.model?.init), levels: protocol.opSource === undefined } : {}),
    timeLimitMs: options.timeLimitMs,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
  });
}
