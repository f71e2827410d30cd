import type { Counterexample, LinearizabilityResult } from '../linearizability/result.js';
import type { SequentialResult } from './sequential.js';
import type { LevelResult } from './types.js';
import { WITNESS_OPERATIONS_MAX } from './describe.js';

/** The `strong` level from a linearizability result: its outcome and a summary of its counterexample. */
export function strongLevel(lin: LinearizabilityResult): LevelResult {
  const details: Record<string, unknown> = { outcome: lin.outcome, operations: lin.operations, partitions: lin.partitions.length, elapsedMs: lin.stats.elapsedMs };
  if (lin.outcome === 'ok') return { level: 'strong', status: 'holds', details };
  if (lin.outcome === 'unknown') return { level: 'strong', status: 'unknown', cause: lin.cause?.message ?? 'the linearizability check did not finish', details };
  const ce = lin.counterexample;
  if (ce !== undefined) details.counterexample = summary(ce);
  const sentence = ce !== undefined
    ? `not linearizable${ce.partition !== '' ? ` (key ${ce.partition})` : ''}: ${ce.witness.explanation}`
    : 'not linearizable: no order of the operations respects real time and the model';
  return {
    level: 'strong',
    status: 'violated',
    violations: [{ kind: 'linearizability', sentence, operations: ce?.witness.operations.slice(0, WITNESS_OPERATIONS_MAX) ?? [] }],
    details,
  };
}

/** The `sequential` level from a sequential-consistency result. */
export function sequentialLevel(seq: SequentialResult): LevelResult {
  const details: Record<string, unknown> = { outcome: seq.outcome, operations: seq.operations, units: seq.units, components: seq.components, stats: seq.stats };
  if (seq.outcome === 'ok') return { level: 'sequential', status: 'holds', details };
  if (seq.outcome === 'unknown') return { level: 'sequential', status: 'unknown', cause: seq.cause?.message ?? 'the sequential search did not finish', details };
  const ce = seq.counterexample;
  if (ce !== undefined) details.counterexample = ce;
  const sentence = ce !== undefined
    ? `not sequentially consistent: ${ce.witness.explanation}`
    : 'not sequentially consistent: no order of the operations keeps each session\'s order and is legal for the model';
  return {
    level: 'sequential',
    status: 'violated',
    violations: [{ kind: 'sequential', sentence, operations: ce?.witness.operations.slice(0, WITNESS_OPERATIONS_MAX) ?? [] }],
    details,
  };
}

function summary(ce: Counterexample): Record<string, unknown> {
  return { partition: ce.partition, prefixLength: ce.prefixLength, blocked: ce.blocked, explanation: ce.witness.explanation, witnessOperations: ce.witness.operations.length, minimal: ce.witness.minimal };
}
