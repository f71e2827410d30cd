import { ISOLATION_LEVELS } from './levels.js';
import { elleName, modelsRuledOutBy, weakestOf, type TxnModel } from './model-lattice.js';
import type { AnomalyType, IsolationLevel } from './types.js';

/** An edge of a draft anomaly, in transaction ids and a key id (-1: none). */
export interface DraftEdge {
  from: number;
  to: number;
  kind: number;
  key: number;
}

/**
 * An anomaly before it is rendered: transaction ids instead of views, and a sentence that gets
 * the short names (T1, T2, … in the order of `txns`) only when it is written out.
 */
export interface Draft {
  type: AnomalyType;
  /** The seed's levels it rules out, and the weakest models of the finer lattice it rules out. */
  rulesOut: readonly IsolationLevel[];
  not: readonly TxnModel[];
  txns: number[];
  edges?: DraftEdge[];
  /** Key id the anomaly is about. */
  key?: number;
  sentence: (name: (t: number) => string) => string;
}

/** The seed's levels an anomaly (by its Elle name) rules out. */
export function levelsRuledOutBy(elle: string): IsolationLevel[] {
  const models = modelsRuledOutBy(elle);
  return ISOLATION_LEVELS.filter((l) => models.includes(l));
}

/**
 * Collects anomalies: counts every one, keeps the first `perTypeMax` of each type (a history with
 * one aborted write read a thousand times needs a few witnesses, not a thousand), and builds a
 * draft only when it is kept. What an anomaly rules out comes from the lattice, by its Elle name
 * (a cycle through a predicate read is named by its own edges, so it passes its name).
 */
export class AnomalySink {
  readonly counts = new Map<string, number>();
  readonly drafts: Draft[] = [];
  /** Every anomaly type found, with the Elle names its anomalies stand for. */
  readonly names = new Map<string, Set<string>>();

  constructor(private readonly perTypeMax: number) {}

  add(type: AnomalyType, make: () => Omit<Draft, 'type' | 'rulesOut' | 'not'>, elle = elleName(type)): void {
    const count = (this.counts.get(type) ?? 0) + 1;
    this.counts.set(type, count);
    let names = this.names.get(type);
    if (names === undefined) this.names.set(type, names = new Set());
    names.add(elle);
    if (count <= this.perTypeMax) this.drafts.push({ type, rulesOut: levelsRuledOutBy(elle), not: weakestOf(modelsRuledOutBy(elle)), ...make() });
  }

  has(type: AnomalyType): boolean {
    return this.counts.has(type);
  }

  /** Each type found with the Elle names it stands for. */
  found(): Map<string, string[]> {
    return new Map([...this.names].map(([type, names]) => [type, [...names]]));
  }

  /** Whether some anomaly found rules out `model`. */
  rulesOut(model: TxnModel): boolean {
    for (const names of this.names.values()) for (const n of names) if (modelsRuledOutBy(n).includes(model)) return true;
    return false;
  }
}
