import { impliedModels } from './model-lattice.js';
import type { ModelVerdict } from './model-verdicts.js';
import type { IsolationLevel, IsolationResult } from './types.js';

/**
 * The seed's isolation levels, strongest first, as they sit in Elle's finer lattice
 * (model-lattice.ts):
 *
 *     strict-serializable ⊃ serializable ⊃ snapshot-isolation ⊃ read-committed ⊃ read-uncommitted
 *                         serializable ⊃ repeatable-read    ⊃ read-committed
 *
 * Snapshot isolation and repeatable read are incomparable: SI allows write skew (G2-item whose
 * anti-dependencies follow one another), which repeatable read (Adya's PL-2.99) forbids;
 * repeatable read allows predicate anomalies (phantoms, and read skew through a predicate read),
 * which SI forbids because a snapshot cannot change. What each anomaly rules out follows Elle:
 * read-uncommitted (PL-1) forbids G0; read-committed (PL-2) also G1a, G1b, G1c; repeatable read
 * also G2-item (which includes G-single and lost update) and fuzzy reads; snapshot isolation also
 * G-single and G-nonadjacent, lost updates, fuzzy reads and phantoms, and internal
 * inconsistency (which rules out read-atomic and every model above it, not the levels below);
 * serializable forbids every dependency cycle; strict serializable also every cycle through
 * real-time or process order. Values nobody wrote, duplicated elements, cyclic version orders
 * and commits at one participant only break even read-uncommitted.
 */
export const ISOLATION_LEVELS: readonly IsolationLevel[] = [
  'strict-serializable', 'serializable', 'snapshot-isolation', 'repeatable-read', 'read-committed', 'read-uncommitted',
];

/** The given levels and every level stronger than one of them, strongest first. */
export function andStronger(...levels: IsolationLevel[]): IsolationLevel[] {
  return ISOLATION_LEVELS.filter((candidate) => levels.some((l) => impliedModels(candidate).has(l)));
}

/** The seed's levels, read from the finer lattice's verdicts: each status, the strongest and the maximal ones. */
export function seedLevels(models: readonly ModelVerdict[]): Pick<IsolationResult, 'levels' | 'strongest' | 'maximal'> {
  const levels: IsolationResult['levels'] = ISOLATION_LEVELS.map((level) => {
    const v = models.find((m) => m.model === level)!;
    const out: IsolationResult['levels'][number] = { level, status: v.status };
    if (v.ruledOutBy !== undefined) out.ruledOutBy = [...v.ruledOutBy];
    if (v.cause !== undefined && v.status === 'unknown') out.cause = v.cause;
    return out;
  });
  const holds = new Set(levels.filter((l) => l.status === 'holds').map((l) => l.level));
  const maximal = ISOLATION_LEVELS.filter((l) => holds.has(l)
    && !ISOLATION_LEVELS.some((stronger) => stronger !== l && holds.has(stronger) && impliedModels(stronger).has(l)));
  return { levels, strongest: maximal[0] ?? 'none', maximal };
}
