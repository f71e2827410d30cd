import type { AnomalyType, IsolationLevel, IsolationResult } from './types.js';

/**
 * The isolation lattice Verdict names levels in, strongest first:
 *
 *     strict-serializable ⊃ serializable ⊃ snapshot-isolation ⊃ read-committed ⊃ read-uncommitted
 *                         serializable ⊃ repeatable-read    ⊃ read-committed
 *
 * Snapshot isolation and repeatable read are incomparable: SI allows write skew (G2-item whose
 * anti-dependencies follow one another), which repeatable read (Adya's PL-2.99) forbids;
 * repeatable read allows predicate anomalies (phantoms, and read skew through a predicate read),
 * which SI forbids because a snapshot cannot change. Following Adya and Elle:
 * read-uncommitted (PL-1) forbids G0; read-committed (PL-2) also G1a, G1b, G1c; repeatable read
 * also G2-item (which includes G-single and lost update) and fuzzy reads; snapshot isolation also
 * G-single and G-nonadjacent (Elle's generalized SI), lost updates, fuzzy reads and phantoms, but
 * not G2-item with adjacent anti-dependencies; serializable (PL-3) forbids every dependency cycle
 * (G2, predicates included); strict serializable also every cycle through real-time or process
 * order. A history that does not even keep its own writes, shows a value twice or one nobody
 * wrote, or commits at one participant and not another, is below read-uncommitted (`none`):
 * Adya's definitions all assume atomic, self-consistent transactions.
 */
export const ISOLATION_LEVELS: readonly IsolationLevel[] = [
  'strict-serializable', 'serializable', 'snapshot-isolation', 'repeatable-read', 'read-committed', 'read-uncommitted',
];

const IMPLIES: Readonly<Record<IsolationLevel, readonly IsolationLevel[]>> = {
  'strict-serializable': ['serializable'],
  serializable: ['snapshot-isolation', 'repeatable-read'],
  'snapshot-isolation': ['read-committed'],
  'repeatable-read': ['read-committed'],
  'read-committed': ['read-uncommitted'],
  'read-uncommitted': [],
};

function impliedBy(level: IsolationLevel): Set<IsolationLevel> {
  const out = new Set<IsolationLevel>([level]);
  for (const weaker of IMPLIES[level]) for (const l of impliedBy(weaker)) out.add(l);
  return out;
}

/** The given levels and every level stronger than one of them, strongest first. */
export function andStronger(...levels: IsolationLevel[]): IsolationLevel[] {
  return ISOLATION_LEVELS.filter((candidate) => levels.some((l) => impliedBy(candidate).has(l)));
}

const UP_RU = andStronger('read-uncommitted');
const UP_RC = andStronger('read-committed');
const UP_SI_RR = andStronger('snapshot-isolation', 'repeatable-read');

/** The levels each non-cycle anomaly rules out (cycles are classified in cycle-specs.ts). */
export const RULES_OUT: Readonly<Record<string, readonly IsolationLevel[]>> = {
  G0: UP_RU,
  G1a: UP_RC,
  G1b: UP_RC,
  G1c: UP_RC,
  'incompatible-order': UP_RC,
  'G-single': UP_SI_RR,
  'G-nonadjacent': UP_SI_RR,
  'lost-update': UP_SI_RR,
  'non-repeatable-read': UP_SI_RR,
  'G2-item': andStronger('repeatable-read'),
  G2: andStronger('serializable'),
  'phantom-read': andStronger('snapshot-isolation'),
  'internal-inconsistency': UP_RU,
  'duplicate-value': UP_RU,
  'impossible-value': UP_RU,
  'non-atomic-commit': UP_RU,
  'lost-write': ['strict-serializable'],
};

export interface LevelInputs {
  /** Every reported anomaly's type and the levels it rules out. */
  anomalies: readonly { type: AnomalyType; rulesOut: readonly IsolationLevel[] }[];
  /** Levels that could not be decided, with why. */
  undecided: ReadonlyMap<IsolationLevel, string>;
}

/** Each level's status, the strongest level that holds and the maximal ones. */
export function judgeLevels(inputs: LevelInputs): Pick<IsolationResult, 'levels' | 'strongest' | 'maximal'> {
  const ruledOutBy = new Map<IsolationLevel, Set<AnomalyType>>();
  for (const a of inputs.anomalies) {
    for (const level of a.rulesOut) {
      let set = ruledOutBy.get(level);
      if (set === undefined) ruledOutBy.set(level, set = new Set());
      set.add(a.type);
    }
  }
  const levels: IsolationResult['levels'] = ISOLATION_LEVELS.map((level) => {
    const by = ruledOutBy.get(level);
    if (by !== undefined) return { level, status: 'violated', ruledOutBy: [...by] };
    const cause = inputs.undecided.get(level);
    if (cause !== undefined) return { level, status: 'unknown', cause };
    return { level, status: 'holds' };
  });
  const holds = new Set(levels.filter((l) => l.status === 'holds').map((l) => l.level));
  const maximal = ISOLATION_LEVELS.filter((l) => holds.has(l)
    && !ISOLATION_LEVELS.some((stronger) => stronger !== l && holds.has(stronger) && impliedBy(stronger).has(l)));
  return { levels, strongest: maximal[0] ?? 'none', maximal };
}
