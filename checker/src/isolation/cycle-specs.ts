import { E_PROCESS, E_REALTIME, E_RW, E_RWP, E_WR, E_WRP, M_DATA, M_PROCESS, M_REALTIME, M_RW_ITEM, M_WR, M_WW } from './graph.js';

export type CycleBase = 'G0' | 'G1c' | 'G-single' | 'G-nonadjacent' | 'G2-item' | 'G2';
export type CycleVariant = '' | 'process' | 'realtime';

/**
 * A kind of cycle to look for. Every cycle of the kind contains an `anchor` edge; the search
 * takes each anchor a → b and looks for the shortest path b ⇝ a over `path` edges that the
 * state machine accepts (see cycle-search.ts).
 */
export interface CycleSpec {
  type: string;
  base: CycleBase;
  variant: CycleVariant;
  anchorMask: number;
  pathMask: number;
  /** No two anti-dependencies in a row (cyclically). */
  nonadjacent: boolean;
  /** At least two anti-dependencies, with some two in a row (cyclically). */
  adjacent: boolean;
  /** The edge kind the variant needs at least one of, or -1. */
  variantKind: number;
}

const BASES: readonly Omit<CycleSpec, 'type' | 'variant' | 'variantKind'>[] = [
  { base: 'G0', anchorMask: M_WW, pathMask: M_WW, nonadjacent: false, adjacent: false },
  { base: 'G1c', anchorMask: M_WR, pathMask: M_WW | M_WR, nonadjacent: false, adjacent: false },
  { base: 'G-single', anchorMask: M_RW_ITEM, pathMask: M_WW | M_WR, nonadjacent: false, adjacent: false },
  { base: 'G-nonadjacent', anchorMask: M_RW_ITEM, pathMask: M_WW | M_WR | M_RW_ITEM, nonadjacent: true, adjacent: false },
  { base: 'G2-item', anchorMask: M_RW_ITEM, pathMask: M_WW | M_WR | M_RW_ITEM, nonadjacent: false, adjacent: true },
  { base: 'G2', anchorMask: 1 << E_RWP, pathMask: M_DATA, nonadjacent: false, adjacent: false },
];

/** The kinds of cycle searched, most severe first (the order Elle searches in). */
export function cycleSpecs(options: { process: boolean; realtime: boolean }): CycleSpec[] {
  const variants: CycleVariant[] = [''];
  if (options.process) variants.push('process');
  if (options.realtime) variants.push('realtime');
  return variants.flatMap((variant) => BASES.map((b) => ({
    ...b,
    type: variant === '' ? b.base : `${b.base}-${variant}`,
    variant,
    pathMask: b.pathMask | (variant === 'process' ? M_PROCESS : variant === 'realtime' ? M_PROCESS | M_REALTIME : 0),
    variantKind: variant === 'process' ? E_PROCESS : variant === 'realtime' ? E_REALTIME : -1,
  })));
}

const BASE_IMPLIES: Readonly<Record<CycleBase, readonly CycleBase[]>> = {
  G0: ['G0', 'G1c'],
  G1c: ['G1c'],
  'G-single': ['G-single', 'G-nonadjacent', 'G2-item', 'G2'],
  'G-nonadjacent': ['G-nonadjacent', 'G2-item', 'G2'],
  'G2-item': ['G2-item', 'G2'],
  G2: ['G2'],
};
const VARIANT_RANK: Readonly<Record<CycleVariant, number>> = { '': 0, process: 1, realtime: 2 };

/**
 * Whether finding `found` makes searching for `candidate` pointless, as in Elle: a G0 cycle is
 * also a G1c one, G-single is a G2-item, and a cycle without process or real-time edges is
 * trivially one "with" them (process order is part of real-time order).
 */
export function implies(found: CycleSpec, candidate: CycleSpec): boolean {
  return BASE_IMPLIES[found.base].includes(candidate.base) && VARIANT_RANK[found.variant] <= VARIANT_RANK[candidate.variant];
}

/** `implies` on type names ("G-single-realtime"); false when either is not a cycle type. */
export function impliesType(found: string, candidate: string): boolean {
  const parse = (type: string): CycleSpec | undefined => {
    const match = /^(G0|G1c|G-single|G-nonadjacent|G2-item|G2)(?:-(process|realtime))?$/.exec(type);
    if (match === null) return undefined;
    return { base: match[1] as CycleBase, variant: (match[2] ?? '') as CycleVariant } as CycleSpec;
  };
  const f = parse(found);
  const c = parse(candidate);
  return f !== undefined && c !== undefined && implies(f, c);
}

export interface CycleClass {
  type: string;
  /** The name Elle's lattice gives it (a predicate cycle with one anti-dependency is Elle's G-single). */
  elle: string;
}

/** Names a cycle by its edge kinds (in cycle order), as Elle's cycle explainer does. */
export function classifyCycle(kinds: readonly number[]): CycleClass {
  let rw = 0;
  let predicate = false;
  let wr = false;
  let realtime = false;
  let process = false;
  let adjacent = false;
  for (let i = 0; i < kinds.length; i++) {
    const k = kinds[i];
    const isRw = k === E_RW || k === E_RWP;
    if (isRw) {
      rw++;
      const previous = kinds[(i + kinds.length - 1) % kinds.length];
      if (kinds.length > 1 && (previous === E_RW || previous === E_RWP)) adjacent = true;
    }
    if (k === E_RWP) predicate = true;
    if (k === E_WR || k === E_WRP) wr = true;
    if (k === E_REALTIME) realtime = true;
    if (k === E_PROCESS) process = true;
  }
  const base: CycleBase = predicate ? 'G2'
    : rw === 1 ? 'G-single'
      : rw > 1 ? (adjacent ? 'G2-item' : 'G-nonadjacent')
        : wr ? 'G1c' : 'G0';
  const elleBase = !predicate ? (base === 'G-single' || base === 'G-nonadjacent' ? `${base}-item` : base)
    : rw === 1 ? 'G-single' : adjacent ? 'G2' : 'G-nonadjacent';
  const suffix = realtime ? '-realtime' : process ? '-process' : '';
  return { type: `${base}${suffix}`, elle: `${elleBase}${suffix}` };
}
