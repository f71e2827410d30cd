/**
 * Elle's lattice of transactional consistency models (`elle.consistency-model`), with its names,
 * as data: which model implies which, which anomalies each model proscribes directly, and which
 * anomalies imply which. From these, the models an anomaly rules out and the anomalies a model
 * forbids follow by closure, as in Elle. Sources for each relation are Elle's (Adya; Adya,
 * Liskov and O'Neil; Bailis et al.; Cerone, Bernardi and Gotsman; Daudjee and Salem; ...).
 *
 * Verdict's own anomaly types join the lattice through the two tables at the end: what they
 * imply among Elle's anomalies, or which model forbids them directly.
 */
export const TXN_MODELS = [
  'strict-serializable',
  'strong-session-serializable',
  'serializable',
  'strong-snapshot-isolation',
  'strong-session-snapshot-isolation',
  'snapshot-isolation',
  'repeatable-read',
  'update-serializable',
  'forward-consistent-view',
  'consistent-view',
  'cursor-stability',
  'monotonic-view',
  'monotonic-snapshot-read',
  'parallel-snapshot-isolation',
  'prefix',
  'causal-cerone',
  'update-atomic',
  'read-atomic',
  'monotonic-atomic-view',
  'strong-read-committed',
  'strong-session-read-committed',
  'read-committed',
  'strong-read-uncommitted',
  'strong-session-read-uncommitted',
  'read-uncommitted',
] as const;

export type TxnModel = (typeof TXN_MODELS)[number];

/** Other names Elle accepts for these models (its canonical Adya names, and synonyms). */
export const MODEL_ALIASES: Readonly<Record<string, TxnModel>> = {
  'strong-serializable': 'strict-serializable',
  'PL-SS': 'strict-serializable',
  'conflict-serializable': 'serializable',
  'PL-3': 'serializable',
  'PL-3U': 'update-serializable',
  'PL-FCV': 'forward-consistent-view',
  'PL-2+': 'consistent-view',
  'PL-CS': 'cursor-stability',
  'PL-2L': 'monotonic-view',
  'PL-MSR': 'monotonic-snapshot-read',
  'PL-2.99': 'repeatable-read',
  'PL-SI': 'snapshot-isolation',
  'PL-2': 'read-committed',
  'PL-1': 'read-uncommitted',
  'strong-session-PL-1': 'strong-session-read-uncommitted',
  'strong-session-PL-2': 'strong-session-read-committed',
  'strong-PL-1': 'strong-read-uncommitted',
  'strong-PL-2': 'strong-read-committed',
};

/** A holds ⇒ each of IMPLIES[A] holds (Elle's `models` graph, transactional part). */
const IMPLIES: Readonly<Record<TxnModel, readonly TxnModel[]>> = {
  'strict-serializable': ['serializable', 'snapshot-isolation', 'strong-snapshot-isolation', 'strong-session-serializable'],
  'strong-session-serializable': ['serializable', 'strong-session-snapshot-isolation'],
  serializable: ['repeatable-read', 'update-serializable', 'snapshot-isolation'],
  'strong-snapshot-isolation': ['strong-session-snapshot-isolation', 'strong-read-committed'],
  'strong-session-snapshot-isolation': ['snapshot-isolation', 'strong-session-read-committed'],
  'snapshot-isolation': ['forward-consistent-view', 'monotonic-atomic-view', 'monotonic-snapshot-read', 'parallel-snapshot-isolation', 'prefix'],
  'repeatable-read': ['cursor-stability', 'monotonic-atomic-view'],
  'update-serializable': ['forward-consistent-view'],
  'forward-consistent-view': ['consistent-view'],
  'consistent-view': ['cursor-stability', 'monotonic-view'],
  'cursor-stability': ['read-committed'],
  'monotonic-view': ['read-committed'],
  'monotonic-snapshot-read': ['read-committed'],
  'parallel-snapshot-isolation': ['causal-cerone', 'update-atomic'],
  prefix: ['causal-cerone'],
  'causal-cerone': ['read-atomic'],
  'update-atomic': ['read-atomic'],
  'read-atomic': ['monotonic-atomic-view'],
  'monotonic-atomic-view': ['read-committed'],
  'strong-read-committed': ['strong-session-read-committed', 'strong-read-uncommitted'],
  'strong-session-read-committed': ['read-committed', 'strong-session-read-uncommitted'],
  'read-committed': ['read-uncommitted'],
  'strong-read-uncommitted': ['strong-session-read-uncommitted'],
  'strong-session-read-uncommitted': ['read-uncommitted'],
  'read-uncommitted': [],
};

/**
 * The anomalies each model forbids beyond the models it implies (Elle's
 * `direct-proscribed-anomalies`), plus Verdict's own types (marked).
 */
const PROSCRIBES: Readonly<Record<TxnModel, readonly string[]>> = {
  'strict-serializable': ['G1', 'G1c-realtime', 'G2-realtime', 'no-serial-order-realtime' /* Verdict */],
  'strong-session-serializable': ['G1-process', 'G2-process', 'no-serial-order-process' /* Verdict */],
  serializable: ['internal', 'G1', 'G2', 'predicate-read-miss', 'no-serial-order' /* Verdict */],
  'strong-snapshot-isolation': ['internal', 'G1-realtime', 'G-nonadjacent-realtime'],
  'strong-session-snapshot-isolation': ['internal', 'G1-process', 'G-nonadjacent-process'],
  'snapshot-isolation': ['internal', 'G1', 'G-SI', 'G-nonadjacent', 'phantom-read' /* Verdict */],
  'repeatable-read': ['G1', 'G2-item', 'lost-update', 'non-repeatable-read' /* Verdict */],
  'update-serializable': ['G1', 'G-update'],
  'forward-consistent-view': ['G1', 'G-SIb'],
  'consistent-view': ['G1', 'G-single'],
  'cursor-stability': ['G1', 'G-cursor', 'lost-update'],
  'monotonic-view': ['G1', 'G-monotonic'],
  'monotonic-snapshot-read': ['G1', 'G-MSR'],
  'parallel-snapshot-isolation': ['internal', 'G1a'],
  prefix: ['internal', 'G1a'],
  'causal-cerone': ['internal', 'G1a'],
  'update-atomic': ['lost-update'],
  'read-atomic': ['internal', 'G1a', 'future-read'],
  'monotonic-atomic-view': [],
  'strong-read-committed': ['G1c-realtime'],
  'strong-session-read-committed': ['G1c-process'],
  'read-committed': ['G1'],
  'strong-read-uncommitted': ['G0-realtime'],
  'strong-session-read-uncommitted': ['G0-process'],
  'read-uncommitted': ['G0', 'duplicate-elements', 'cyclic-versions', 'impossible-value' /* Verdict */, 'non-atomic-commit' /* Verdict */],
};

/** A present ⇒ each of ANOMALY_IMPLIES[A] present (Elle's `implied-anomalies`, plus Verdict's types, marked). */
const ANOMALY_IMPLIES: Readonly<Record<string, readonly string[]>> = {
  G0: ['G1c', 'G0-process'],
  'G0-process': ['G1c-process', 'G0-realtime'],
  'G0-realtime': ['G1c-realtime'],
  G1a: ['G1'],
  G1b: ['G1'],
  G1c: ['G1', 'G1c-process'],
  'G1c-process': ['G1c-realtime', 'G1-process'],
  'G1c-realtime': ['G1-realtime'],
  G1: ['G1-process'],
  'G1-process': ['G1-realtime'],
  'G-single-item': ['G-single', 'G-single-item-process', 'G-nonadjacent-item'],
  'G-single-item-process': ['G-single-process', 'G-single-item-realtime', 'G-nonadjacent-item-process'],
  'G-single-item-realtime': ['G-single-realtime', 'G-nonadjacent-item-realtime'],
  'G-single': ['G-nonadjacent', 'GSIb', 'G-single-process'],
  'G-single-process': ['G-nonadjacent-process', 'G-single-realtime'],
  'G-single-realtime': ['G-nonadjacent-realtime'],
  'G-nonadjacent-item': ['G-nonadjacent', 'G2-item', 'G-nonadjacent-item-process'],
  'G-nonadjacent-item-process': ['G-nonadjacent-process', 'G2-item-process', 'G-nonadjacent-item-realtime'],
  'G-nonadjacent-item-realtime': ['G2-item-realtime', 'G-nonadjacent-realtime'],
  'G-nonadjacent': ['G2', 'G-nonadjacent-process'],
  'G-nonadjacent-process': ['G2-process', 'G-nonadjacent-realtime'],
  'G-nonadjacent-realtime': ['G2-realtime'],
  G2: ['G2-process'],
  'G2-item': ['G2', 'G2-item-process'],
  'G2-item-process': ['G2-process', 'G2-item-realtime'],
  'G2-item-realtime': ['G2-realtime'],
  'G2-process': ['G2-realtime'],
  GSIa: ['GSI'],
  GSIb: ['GSI'],
  'incompatible-order': ['G1a'],
  'future-read': ['G1c'],
  'dirty-update': ['G1a'],
  'lost-update': ['write-skew', 'G2-item'],
  'write-skew': ['G2'],
  // Verdict's types.
  'non-repeatable-read': ['internal'],
  'cyclic-versions-wfr': ['G1c'],
  'lost-write': ['G-single-item-realtime'],
};

/** Every model that implies `model`, itself included. */
function modelsImplying(model: TxnModel): Set<TxnModel> {
  const out = new Set<TxnModel>([model]);
  for (let changed = true; changed;) {
    changed = false;
    for (const m of TXN_MODELS) {
      if (!out.has(m) && IMPLIES[m].some((weaker) => out.has(weaker))) { out.add(m); changed = true; }
    }
  }
  return out;
}

/** Every model `model` implies, itself included. */
export function impliedModels(model: TxnModel): Set<TxnModel> {
  const out = new Set<TxnModel>([model]);
  const stack: TxnModel[] = [model];
  while (stack.length > 0) for (const weaker of IMPLIES[stack.pop()!]) if (!out.has(weaker)) { out.add(weaker); stack.push(weaker); }
  return out;
}

/** The anomaly and every anomaly it implies. */
export function impliedAnomalies(anomaly: string): Set<string> {
  const out = new Set<string>([anomaly]);
  const stack = [anomaly];
  while (stack.length > 0) for (const next of ANOMALY_IMPLIES[stack.pop()!] ?? []) if (!out.has(next)) { out.add(next); stack.push(next); }
  return out;
}

const ruledOutMemo = new Map<string, readonly TxnModel[]>();

/** The models an anomaly (by its Elle name) rules out, in `TXN_MODELS` order. */
export function modelsRuledOutBy(anomaly: string): readonly TxnModel[] {
  let out = ruledOutMemo.get(anomaly);
  if (out !== undefined) return out;
  const implied = impliedAnomalies(anomaly);
  const ruled = new Set<TxnModel>();
  for (const m of TXN_MODELS) if (PROSCRIBES[m].some((a) => implied.has(a))) for (const stronger of modelsImplying(m)) ruled.add(stronger);
  out = TXN_MODELS.filter((m) => ruled.has(m));
  ruledOutMemo.set(anomaly, out);
  return out;
}

/** Every anomaly whose presence rules out one of `models` (Elle's `anomalies-prohibited-by`). */
export function anomaliesProhibitedBy(models: readonly TxnModel[]): Set<string> {
  const direct = new Set<string>();
  for (const model of models) for (const m of impliedModels(model)) for (const a of PROSCRIBES[m]) direct.add(a);
  const out = new Set<string>();
  for (const a of knownAnomalies()) if ([...impliedAnomalies(a)].some((x) => direct.has(x))) out.add(a);
  return out;
}

/** Every anomaly name the lattice knows. */
export function knownAnomalies(): Set<string> {
  const out = new Set<string>(Object.keys(ANOMALY_IMPLIES));
  for (const list of Object.values(ANOMALY_IMPLIES)) for (const a of list) out.add(a);
  for (const list of Object.values(PROSCRIBES)) for (const a of list) out.add(a);
  return out;
}

/** The strongest of `models`: those no other one of them implies (Elle's `strongest-models`). */
export function strongestOf(models: Iterable<TxnModel>): TxnModel[] {
  const set = new Set(models);
  return TXN_MODELS.filter((m) => set.has(m) && ![...set].some((o) => o !== m && impliedModels(o).has(m)));
}

/** The weakest of `models`: those that imply no other one of them (Elle's `weakest-models`). */
export function weakestOf(models: Iterable<TxnModel>): TxnModel[] {
  const set = new Set(models);
  return TXN_MODELS.filter((m) => set.has(m) && ![...set].some((o) => o !== m && impliedModels(m).has(o)));
}

/** The model a user's name stands for (Elle's names and aliases), or undefined. */
export function modelNamed(name: string): TxnModel | undefined {
  if ((TXN_MODELS as readonly string[]).includes(name)) return name as TxnModel;
  return MODEL_ALIASES[name];
}

/** Verdict's anomaly types under the names Elle's lattice knows them by, where they differ. */
const ELLE_NAMES: Readonly<Record<string, string>> = {
  'G-single': 'G-single-item',
  'G-single-process': 'G-single-item-process',
  'G-single-realtime': 'G-single-item-realtime',
  'G-nonadjacent': 'G-nonadjacent-item',
  'G-nonadjacent-process': 'G-nonadjacent-item-process',
  'G-nonadjacent-realtime': 'G-nonadjacent-item-realtime',
  'internal-inconsistency': 'internal',
  'duplicate-value': 'duplicate-elements',
};

/** The name Elle's lattice knows an anomaly type by. */
export function elleName(type: string): string {
  return ELLE_NAMES[type] ?? type;
}

/** Whether `name` is a model of the lattice (by Elle's name or an alias). */
export function isTxnModelName(name: string): boolean {
  return modelNamed(name) !== undefined;
}

/** Whether `name` is an anomaly the lattice knows (Elle's name, or Verdict's). */
export function isAnomalyName(name: string): boolean {
  return knownAnomalies().has(elleName(name));
}
