import fc from 'fast-check';
import type { ClientOp } from '../sim/client-driver.js';
import { sampleStream, type Workload } from './workload.js';

export interface PredicateOptions {
  ops: number;
  seed: number;
  /** Ranges in play at once (default 3): fewer means more transactions meet in one range. */
  rangesActive?: number;
  /** Keys per range (default 10); a full range retires for a fresh one. */
  rangeWidth?: number;
  /** Share of transactions, in percent, that also delete a key of their range (default 30). */
  deletePercent?: number;
}

/**
 * Predicate reads against inserts and deletes, for phantoms. Keys fall in ranges of `rangeWidth`
 * (`[b·w, b·w + w − 1]`), a few ranges in play at once. A transaction scans one range
 * (`["scan", [lo, hi], null]`, completing with the keys present), may delete one key of the range
 * that an earlier transaction inserted (`["delete", k]`), may insert the range's next fresh keys
 * (`["w", k, k]`: each key once, so inserts never collide), and may scan it again. Each key is
 * inserted at most once and deleted at most once, so its existence has one order: absent,
 * present, absent (the checker's requirement). The delete's target was generated earlier but may
 * not exist when it runs (its insert failed, or has not committed): a client then rolls the
 * transaction back, since a delete recorded as done says the key was there. A scan whose answer
 * changes within one transaction, or that misses a key whose inserter the transaction otherwise
 * saw, is a phantom.
 */
export function predicateWorkload(options: PredicateOptions): Workload {
  const active = options.rangesActive ?? 3;
  const width = options.rangeWidth ?? 10;
  const deletePercent = options.deletePercent ?? 30;
  if (!(active >= 1) || !(width >= 2)) throw new RangeError('a predicate workload needs at least 1 range of at least 2 keys');
  if (!(deletePercent >= 0 && deletePercent <= 100)) throw new RangeError('deletePercent is a percentage, 0 to 100');
  const shape = fc.record({ slot: fc.nat({ max: active - 1 }), inserts: fc.integer({ min: 0, max: 2 }), rescan: fc.boolean(), remove: fc.nat({ max: 99 }), pick: fc.nat({ max: 1 << 20 }) });
  const shapes = sampleStream(shape, options.seed, options.ops);
  const ranges = Array.from({ length: active }, (_, i) => i);
  const used = ranges.map(() => 0);
  let nextRange = active;
  const inserted: number[] = [];
  const deleted = new Set<number>();
  return {
    kind: 'txn',
    size: shapes.size,
    next(): ClientOp | undefined {
      const s = shapes.take();
      if (s === undefined) return undefined;
      const b = ranges[s.slot]!;
      const range = [b * width, b * width + width - 1];
      const micro: unknown[] = [['scan', range, null]];
      if (s.remove < deletePercent) {
        // Only keys earlier transactions inserted: a deleted key is never written by its deleter.
        const candidates: number[] = [];
        for (let k = b * width; k < b * width + used[s.slot]!; k++) if (!deleted.has(k)) candidates.push(k);
        if (candidates.length > 0) {
          const k = candidates[s.pick % candidates.length]!;
          deleted.add(k);
          micro.push(['delete', k, null]);
        }
      }
      for (let i = 0; i < s.inserts && used[s.slot]! < width; i++) {
        const k = b * width + used[s.slot]!++;
        inserted.push(k);
        micro.push(['w', k, k]);
      }
      if (s.rescan) micro.push(['scan', range, null]);
      if (used[s.slot]! >= width) {
        ranges[s.slot] = nextRange++;
        used[s.slot] = 0;
      }
      return { f: 'txn', value: micro };
    },
    keys: () => [...inserted].sort((a, b) => a - b),
    finalReadOps: () => [{ f: 'txn', value: [['scan', [0, nextRange * width - 1], null]] }],
  };
}
