import { historyFromOps, type History, type Model, type Op } from '@verdict/checker';

export interface HistorySlice {
  history: History;
  /** The partitions (keys) the slice holds. */
  keys: string[];
}

/**
 * Splits a single-object history along its model's partitions (a kv store's keys) into at most
 * `partsMax` sub-histories of similar size, so each can be checked by a different worker. Each
 * slice keeps the raw ops of its operations (invocations and completions, renumbered in order)
 * and every fault event, which concern all keys. Returns one slice when the model cannot split.
 */
export function splitHistory(history: History, model: Model<any>, partsMax: number): HistorySlice[] {
  const partitions = model.partition?.(history.operations) ?? [];
  if (partitions.length < 2) return [{ history, keys: [] }];
  const bins = Array.from({ length: Math.min(partsMax, partitions.length) }, () => ({ size: 0, keys: [] as string[], indexes: [] as number[] }));
  // Largest first into the emptiest bin: parts of similar size finish at similar times.
  for (const p of [...partitions].sort((a, b) => b.operations.length - a.operations.length)) {
    const bin = bins.reduce((min, b) => (b.size < min.size ? b : min), bins[0]!);
    bin.size += p.operations.length;
    bin.keys.push(p.key);
    for (const o of p.operations) {
      bin.indexes.push(o.call);
      if (o.completionIndex !== undefined) bin.indexes.push(o.completionIndex);
    }
  }
  const byIndex = new Map<number, Op>(history.ops.map((op) => [op.index, op]));
  const faults = history.events.map((e) => e.index);
  return bins.filter((b) => b.size > 0).map((bin) => {
    const indexes = [...new Set([...bin.indexes, ...faults])].sort((a, b) => a - b);
    const ops = indexes.map((i) => byIndex.get(i)).filter((op): op is Op => op !== undefined).map((op) => ({ ...op }));
    const options = { ...(history.source !== undefined ? { source: history.source } : {}), ...(history.format !== undefined ? { format: history.format } : {}) };
    return { history: historyFromOps(ops, options), keys: bin.keys.sort() };
  });
}
