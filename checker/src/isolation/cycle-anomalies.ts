import type { AnomalySink } from './anomaly-sink.js';
import type { CycleStep, FoundCycle } from './cycle-search.js';
import { classifyCycle } from './cycle-specs.js';
import type { Explainer } from './explain.js';

const LABELS: Readonly<Record<string, string>> = {
  G0: 'Write cycle (dirty write)',
  G1c: 'Circular information flow',
  'G-single': 'Read skew',
  'G-nonadjacent': 'Anti-dependency cycle',
  'G2-item': 'Write skew',
  G2: 'Anti-dependency cycle through a predicate read',
};

/** Adds a found cycle to the sink, with its transactions, edges and one sentence. */
export function addCycle(cycle: FoundCycle, explain: Explainer, sink: AnomalySink): void {
  const txns = cycle.steps.map((s) => s.from);
  sink.add(cycle.type, () => ({
    txns,
    edges: cycle.steps,
    sentence: (n) => {
      const base = cycle.type.replace(/-(process|realtime)$/, '');
      const variant = cycle.type.endsWith('-realtime') ? ' (through real-time order)' : cycle.type.endsWith('-process') ? ' (through process order)' : '';
      const chain = [...txns, txns[0]].map(n).join(' → ');
      const because = cycle.steps.map((s) => explain.why(s, n)).join('; ');
      return `${LABELS[base] ?? base}${variant}: ${chain}, because ${because}`;
    },
  }), cycle.elle);
}

/** A cycle named by its own edges (for witnesses found outside the typed search). */
export function namedCycle(steps: CycleStep[]): FoundCycle {
  const named = classifyCycle(steps.map((s) => s.kind));
  return { type: named.type, elle: named.elle, steps };
}
