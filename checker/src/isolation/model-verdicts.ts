import { impliedModels, modelsRuledOutBy, strongestOf, TXN_MODELS, weakestOf, type TxnModel } from './model-lattice.js';

/** One model's verdict: holds, violated (by these anomaly types) or unknown (with why). */
export interface ModelVerdict {
  model: TxnModel;
  status: 'holds' | 'violated' | 'unknown';
  /** The anomaly types found that rule it out. */
  ruledOutBy?: string[];
  /** Why it is unknown; or, for a model that holds, what proved it when not the dependency graph. */
  cause?: string;
}

/**
 * Models no search of Verdict's (or Elle's) decides on its own: they hold only when a stronger
 * model holds, and are violated only by an anomaly the lattice says they forbid.
 */
const NEVER_DIRECT: Readonly<Partial<Record<TxnModel, string>>> = {
  'update-serializable': 'Verdict does not search for G-update',
  'forward-consistent-view': 'Verdict does not search for G-SIb',
  'monotonic-view': 'Verdict does not search for G-monotonic',
  'monotonic-snapshot-read': 'Verdict does not search for G-MSR',
  'cursor-stability': 'Verdict does not search for G-cursor',
  'parallel-snapshot-isolation': 'its definition (Cerone et al.) is not captured by the anomalies searched for',
  prefix: 'its definition (Cerone et al.) is not captured by the anomalies searched for',
  'causal-cerone': 'its definition (Cerone et al.) is not captured by the anomalies searched for',
  'update-atomic': 'its definition (Cerone et al.) is not captured by the anomalies searched for',
  'read-atomic': 'its definition (Cerone et al.) is not captured by the anomalies searched for (a fractured read shows only as a G-single cycle)',
  'monotonic-atomic-view': 'its definition (Bailis et al.) is not captured by the anomalies searched for',
};

export interface ModelInputs {
  /** Every anomaly type found, with the Elle anomaly names it stands for. */
  found: ReadonlyMap<string, readonly string[]>;
  /** Models the dependency graph cannot decide in this history, with why. */
  undecided: ReadonlyMap<TxnModel, string>;
  /** Models proved to hold another way (the exact search), with how. */
  proven: ReadonlyMap<TxnModel, string>;
}

/**
 * Judges every model of the lattice. A model is violated when a found anomaly rules it out (and
 * then so is every stronger model); it holds when the graph decides it and finds nothing, when
 * the exact search proves it, or when a stronger model holds; otherwise it is unknown, with why.
 * Never a guess: a model the searches cannot decide is unknown, not held.
 */
export function judgeModels(inputs: ModelInputs): ModelVerdict[] {
  const ruledOutBy = new Map<TxnModel, Set<string>>();
  for (const [type, names] of inputs.found) {
    for (const name of names) {
      for (const m of modelsRuledOutBy(name)) {
        let set = ruledOutBy.get(m);
        if (set === undefined) ruledOutBy.set(m, set = new Set());
        set.add(type);
      }
    }
  }
  const holds = new Map<TxnModel, string | undefined>();
  for (const m of TXN_MODELS) {
    if (ruledOutBy.has(m)) continue;
    const proof = inputs.proven.get(m);
    if (proof !== undefined) holds.set(m, proof);
    else if (NEVER_DIRECT[m] === undefined && !inputs.undecided.has(m)) holds.set(m, undefined);
  }
  for (const m of [...holds.keys()]) {
    for (const weaker of impliedModels(m)) if (!holds.has(weaker) && !ruledOutBy.has(weaker)) holds.set(weaker, `implied by ${m}`);
  }
  return TXN_MODELS.map((model): ModelVerdict => {
    const by = ruledOutBy.get(model);
    if (by !== undefined) return { model, status: 'violated', ruledOutBy: [...by] };
    if (holds.has(model)) {
      const cause = holds.get(model);
      return cause === undefined ? { model, status: 'holds' } : { model, status: 'holds', cause };
    }
    const why = inputs.undecided.get(model) ?? NEVER_DIRECT[model] ?? 'not decided';
    // The nearest models a search can decide that would carry it.
    const stronger = weakestOf(TXN_MODELS.filter((m) => m !== model && NEVER_DIRECT[m] === undefined && impliedModels(m).has(model)));
    return { model, status: 'unknown', cause: `${why}${NEVER_DIRECT[model] !== undefined && stronger.length > 0 ? `; it holds when ${stronger.join(' or ')} does` : ''}` };
  });
}

/** The strongest models that hold (several when incomparable). */
export function strongestHolding(verdicts: readonly ModelVerdict[]): TxnModel[] {
  return strongestOf(verdicts.filter((v) => v.status === 'holds').map((v) => v.model));
}

/** Elle's boundary: the weakest models ruled out (`not`) and the rest of the ruled-out ones (`alsoNot`). */
export function boundary(verdicts: readonly ModelVerdict[]): { not: TxnModel[]; alsoNot: TxnModel[] } {
  const violated = verdicts.filter((v) => v.status === 'violated').map((v) => v.model);
  const not = weakestOf(violated);
  return { not, alsoNot: violated.filter((m) => !not.includes(m)) };
}
