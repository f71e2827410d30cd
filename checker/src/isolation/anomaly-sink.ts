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
  rulesOut: readonly IsolationLevel[];
  txns: number[];
  edges?: DraftEdge[];
  /** Key id the anomaly is about. */
  key?: number;
  sentence: (name: (t: number) => string) => string;
}

/**
 * Collects anomalies: counts every one, keeps the first `perTypeMax` of each type (a history with
 * one aborted write read a thousand times needs a few witnesses, not a thousand), and builds a
 * draft only when it is kept.
 */
export class AnomalySink {
  readonly counts = new Map<string, number>();
  readonly drafts: Draft[] = [];
  /** Every level some anomaly rules out, with the types that do: listed or not. */
  readonly ruledOut = new Map<string, Set<IsolationLevel>>();

  constructor(private readonly perTypeMax: number) {}

  add(type: AnomalyType, rulesOut: readonly IsolationLevel[], make: () => Omit<Draft, 'type' | 'rulesOut'>): void {
    const count = (this.counts.get(type) ?? 0) + 1;
    this.counts.set(type, count);
    let levels = this.ruledOut.get(type);
    if (levels === undefined) this.ruledOut.set(type, levels = new Set());
    for (const l of rulesOut) levels.add(l);
    if (count <= this.perTypeMax) this.drafts.push({ type, rulesOut, ...make() });
  }

  has(type: AnomalyType): boolean {
    return this.counts.has(type);
  }

  /** Each type with the union of the levels its anomalies rule out. */
  summary(): { type: AnomalyType; rulesOut: IsolationLevel[] }[] {
    return [...this.ruledOut].map(([type, levels]) => ({ type, rulesOut: [...levels] }));
  }
}
