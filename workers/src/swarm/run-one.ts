import { createHash } from 'node:crypto';
import { historyToJsonl, isVerdictError, type History } from '@verdict/checker';
import { PROTOCOLS } from '../protocols/registry.js';
import { run } from '../run.js';
import { reproduceCommand, resolveRunSpec, type RunSpec } from '../run/spec.js';
import { PROTOCOL_PROMISES } from './promises.js';

/** One swarm run as the swarm keeps it: small enough to cross threads by the thousand. */
export interface SwarmRunOutcome {
  index: number;
  protocol: string;
  nemesis: string;
  bug: string | null;
  /** Client operations issued (final reads not counted). */
  ops: number;
  /** Against the protocol's promise; `error`: the run could not finish (a node threw, a budget ran out). */
  outcome: 'ok' | 'violated' | 'unknown' | 'error';
  reason?: string;
  /** The `verdict run` command that replays this run exactly. */
  reproduce: string;
  /** Availability was lost for a while (a liveness fact, not judged). */
  blocked: boolean;
  /** For violations: SHA-256 of the history as JSONL (`--out`); the replay must give the same. */
  historyHash?: string;
  wallMs: number;
}

/** Runs one drawn spec and judges it by its protocol's promise; never throws. */
export async function runOne(index: number, spec: RunSpec, checkTimeLimitMs: number): Promise<SwarmRunOutcome> {
  const started = performance.now();
  const base = { index, protocol: spec.protocol, nemesis: spec.nemesis ?? 'none', bug: spec.bug ?? null };
  try {
    const result = await run({ ...spec, checkTimeLimitMs });
    const judgement = PROTOCOL_PROMISES[spec.protocol]!.judge(result);
    return {
      ...base,
      ops: result.facts.operations.client,
      outcome: judgement.outcome,
      ...(judgement.reason !== undefined && judgement.outcome !== 'ok' ? { reason: judgement.reason } : {}),
      reproduce: result.facts.reproduce,
      blocked: result.facts.availability.blocked,
      ...(judgement.outcome === 'violated' ? { historyHash: historyHash(result.history) } : {}),
      wallMs: performance.now() - started,
    };
  } catch (e) {
    const reproduce = isVerdictError(e) && 'reproduce' in e && typeof e.reproduce === 'string' ? e.reproduce : await commandOf(spec);
    const message = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    return { ...base, ops: 0, outcome: 'error', reason: message, reproduce, blocked: false, wallMs: performance.now() - started };
  }
}

/** The SHA-256 of the history as `verdict run --out` writes it (JSONL): what `sha256sum` of the replay's file gives. */
export function historyHash(history: History): string {
  return createHash('sha256').update(historyToJsonl(history)).digest('hex');
}

async function commandOf(spec: RunSpec): Promise<string> {
  try {
    return reproduceCommand((await resolveRunSpec(spec, PROTOCOLS)).spec);
  } catch {
    return `verdict run (spec ${JSON.stringify(spec)})`;
  }
}
