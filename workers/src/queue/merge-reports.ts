import {
  CONSISTENCY_LEVELS,
  summarize,
  type ConsistencyLevel,
  type LevelResult,
  type LevelsResult,
  type LinearizabilityResult,
  type Report,
} from '@verdict/checker';

/** Witnesses kept per level when merging: the reports stay small whatever the number of parts. */
const VIOLATIONS_KEPT_MAX = 20;

/**
 * Levels that hold for a whole history when they hold for each of its partitions (keys):
 * linearizability is local (Herlihy & Wing), and convergence is judged key by key. Sequential
 * consistency and the session guarantees relate operations on different keys, so parts that each
 * hold prove nothing about the whole: merged, they hold only when `strong` holds everywhere.
 */
const LOCAL_LEVELS: ReadonlySet<ConsistencyLevel> = new Set(['strong', 'eventual']);

/**
 * The report of a history split by partition (key) into parts checked separately. A violation in
 * a part is a violation of the whole; `unknown` is never promoted to a pass.
 */
export function mergeReports(parts: readonly Report[]): Report {
  if (parts.length === 0) throw new Error('mergeReports needs at least one report');
  if (parts.length === 1) return parts[0]!;
  const first = parts[0]!;
  const merged: Report = {
    version: 1,
    kind: first.kind,
    history: {
      ...first.history,
      events: sum(parts, (p) => p.history.events),
      operations: sum(parts, (p) => p.history.operations),
      processes: Math.max(...parts.map((p) => p.history.processes)),
      faults: Math.max(...parts.map((p) => p.history.faults)),
    },
    verdict: { outcome: 'unknown', summary: '' },
    elapsedMs: Math.max(...parts.map((p) => p.elapsedMs)),
  };
  if (first.model !== undefined) merged.model = first.model;
  const lin = parts.map((p) => p.linearizability).filter((l): l is LinearizabilityResult => l !== undefined);
  if (lin.length > 0) merged.linearizability = mergeLinearizability(lin, lin.length === parts.length);
  const levels = parts.map((p) => p.consistency).filter((c): c is LevelsResult => c !== undefined);
  if (levels.length === parts.length) merged.consistency = mergeLevels(levels);
  if (parts.some((p) => p.isolation !== undefined)) {
    throw new Error('transactional histories are never split: their dependency graph spans keys');
  }
  merged.verdict = summarize(merged);
  merged.verdict.summary = `${merged.verdict.summary} (checked in ${parts.length} parts by key)`;
  return merged;
}

function mergeLinearizability(results: readonly LinearizabilityResult[], complete: boolean): LinearizabilityResult {
  const illegal = results.find((r) => r.outcome === 'illegal');
  const unknown = results.find((r) => r.outcome === 'unknown');
  const outcome = illegal !== undefined ? 'illegal' : unknown !== undefined || !complete ? 'unknown' : 'ok';
  const merged: LinearizabilityResult = {
    outcome,
    model: results[0]!.model,
    operations: sum(results, (r) => r.operations),
    partitions: results.flatMap((r) => r.partitions),
    stats: {
      steps: sum(results, (r) => r.stats.steps),
      elapsedMs: Math.max(...results.map((r) => r.stats.elapsedMs)),
      cacheEntries: sum(results, (r) => r.stats.cacheEntries),
      peakCacheBytes: Math.max(...results.map((r) => r.stats.peakCacheBytes)),
      threads: sum(results, (r) => r.stats.threads),
    },
  };
  const cause = (illegal ?? unknown)?.cause;
  if (cause !== undefined) merged.cause = cause;
  if (illegal?.counterexample !== undefined) merged.counterexample = illegal.counterexample;
  return merged;
}

function mergeLevels(results: readonly LevelsResult[]): LevelsResult {
  const names = CONSISTENCY_LEVELS.filter((name) => results.every((r) => r.levels.some((l) => l.level === name)));
  const strongEverywhere = results.every((r) => r.levels.some((l) => l.level === 'strong' && l.status === 'holds'));
  const levels = names.map((name) => mergeLevel(name, results.map((r) => r.levels.find((l) => l.level === name)!), strongEverywhere));
  const strongest = levels.find((l) => l.status === 'holds')?.level ?? 'none';
  return { levels, strongest };
}

function mergeLevel(level: ConsistencyLevel, parts: readonly LevelResult[], strongEverywhere: boolean): LevelResult {
  const violated = parts.filter((p) => p.status === 'violated');
  if (violated.length > 0) {
    return { level, status: 'violated', violations: violated.flatMap((p) => p.violations ?? []).slice(0, VIOLATIONS_KEPT_MAX) };
  }
  const unknown = parts.find((p) => p.status === 'unknown');
  if (unknown !== undefined) return { level, status: 'unknown', cause: unknown.cause ?? 'undecided in a part' };
  const unjudged = parts.find((p) => p.status === 'not-applicable');
  if (unjudged !== undefined) return { level, status: 'not-applicable', ...(unjudged.cause !== undefined ? { cause: unjudged.cause } : {}) };
  if (LOCAL_LEVELS.has(level) || strongEverywhere) return { level, status: 'holds' };
  return { level, status: 'unknown', cause: `${level} holds in every part, but it relates operations across keys and the parts were checked apart` };
}

function sum<T>(items: readonly T[], f: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += f(item);
  return total;
}
