import type { ScenarioSpec } from '../protocols/protocol.js';

/** What a scenario sets, in a few words: `faults on mark prepared; client timeout 400 ms`. */
export function scenarioSummary(spec: ScenarioSpec, seeds?: number): string {
  const parts: string[] = [];
  if (spec.nemesisTrigger !== undefined) parts.push(`faults on mark ${spec.nemesisTrigger}`);
  if (spec.nemesisTiming !== undefined) {
    const t = spec.nemesisTiming;
    parts.push(`faults of ${range(t.faultMsMin, t.faultMsMax)} ms after gaps of ${range(t.gapMsMin, t.gapMsMax)} ms`);
  }
  if (spec.clockDriftPpmMax !== undefined) parts.push(`clock drift up to ${spec.clockDriftPpmMax / 10_000} %`);
  if (spec.timeoutMs !== undefined) parts.push(`client timeout ${spec.timeoutMs} ms`);
  if (spec.thinkMsMean !== undefined) parts.push(`think time ${spec.thinkMsMean} ms`);
  if (seeds !== undefined && seeds > 1) parts.push(`${seeds} seeds`);
  return parts.join('; ');
}

function range(min: number | undefined, max: number | undefined): string {
  return min === max ? String(min ?? 'default') : `${min ?? 'default'}–${max ?? 'default'}`;
}
