import type { ConsistencyLevel, LevelResult, LevelStatus } from './types.js';

/**
 * What each level implies, by definition: strong ⊃ sequential ⊃ session ⊃ eventual, and user
 * beside session. Strong implies user (real time orders a user's sessions); sequential does not
 * (it ignores real time between sessions, and a user's order spans sessions).
 */
export const IMPLIES: Readonly<Record<ConsistencyLevel, readonly ConsistencyLevel[]>> = {
  strong: ['sequential', 'session', 'user', 'eventual'],
  sequential: ['session', 'eventual'],
  session: ['eventual'],
  user: ['eventual'],
  eventual: [],
};

/** Levels in the order the strongest is chosen: user only when session does not hold. */
const CHOICE_ORDER: readonly ConsistencyLevel[] = ['strong', 'sequential', 'session', 'user', 'eventual'];

/**
 * The strongest level that holds, such that no level it implies is violated: a system the
 * lattice calls sequential converges, so a sequential history whose final reads disagree is not
 * named sequential. `unknown` never counts as holding; an unknown weaker level (such as eventual
 * with no final reads) does not block a stronger one that holds, and is listed in the notes.
 */
export function strongestLevel(levels: readonly LevelResult[]): { strongest: ConsistencyLevel | 'none'; notes: string[] } {
  const status = new Map<ConsistencyLevel, LevelStatus>(levels.map((l) => [l.level, l.status]));
  const notes: string[] = [];
  for (const level of CHOICE_ORDER) {
    if (status.get(level) !== 'holds') continue;
    const broken = IMPLIES[level].filter((w) => status.get(w) === 'violated');
    if (broken.length > 0) {
      notes.push(`${level} holds on its own, but ${broken.join(' and ')}, which it implies, ${broken.length === 1 ? 'is' : 'are'} violated`);
      continue;
    }
    const open = IMPLIES[level].filter((w) => status.get(w) === 'unknown');
    if (open.length > 0) notes.push(`${open.join(' and ')} ${open.length === 1 ? 'is' : 'are'} unknown: ${level} is named for what was checked`);
    const unjudged = IMPLIES[level].filter((w) => status.get(w) === 'not-applicable');
    if (unjudged.length > 0) notes.push(`${unjudged.join(' and ')} cannot be judged on this history: ${level} is named for what was checked`);
    return { strongest: level, notes };
  }
  return { strongest: 'none', notes };
}

/**
 * A level the stronger one implies, when its own check could not decide (a model the session
 * checks cannot read, values written twice): `holds`, saying so. A violation is never overridden:
 * it stays visible, with a note.
 */
export function applyImplication(levels: LevelResult[], notes: string[]): void {
  const byLevel = new Map(levels.map((l) => [l.level, l]));
  for (const strong of ['strong', 'sequential'] as const) {
    const s = byLevel.get(strong);
    if (s?.status !== 'holds') continue;
    for (const weaker of IMPLIES[strong]) {
      const w = byLevel.get(weaker);
      if (w === undefined || weaker === 'eventual') continue;
      if (w.status === 'unknown' || w.status === 'not-applicable') {
        const ownCause = w.cause;
        w.status = 'holds';
        delete w.cause;
        w.details = { ...w.details, impliedBy: strong, ...(ownCause !== undefined ? { ownCheck: `unknown: ${ownCause}` } : {}) };
      } else if (w.status === 'violated') {
        notes.push(`${strong} holds yet ${weaker} is violated: check that written values are unique per key and that sessions issue one operation at a time`);
      }
    }
  }
}
