import { isAnomalyName, SESSION_GUARANTEES } from '@verdict/checker';

/**
 * The types an anomaly row can have: the isolation anomalies the checker reports (and Elle's
 * other names, which it knows) and the consistency guarantees a violation breaks.
 */
export const KNOWN_ANOMALY_TYPES: readonly string[] = [
  'G0', 'G1a', 'G1b', 'G1c', 'G-single', 'G2-item', 'G2', 'lost-update', 'non-repeatable-read', 'phantom-read',
  'internal-inconsistency', 'duplicate-value', 'impossible-value', 'non-atomic-commit', 'G-nonadjacent',
  'incompatible-order', 'lost-write', 'future-read', 'dirty-update', 'cyclic-versions',
  'no-serial-order', 'no-serial-order-process', 'no-serial-order-realtime',
  ...SESSION_GUARANTEES, 'linearizability', 'sequential', 'convergence', 'invented-value', 'stale-read',
];

export function isKnownAnomalyType(type: string): boolean {
  return KNOWN_ANOMALY_TYPES.includes(type) || isAnomalyName(type);
}
