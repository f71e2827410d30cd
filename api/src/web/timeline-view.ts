import { createModel, type Operation } from '@verdict/checker';

/**
 * Which operations of the window the timeline draws. `focus` opens on the answer: the failing
 * partition (key) and the processes of the witness only; `key` draws that key on every process;
 * `all` everything in the window.
 */
export const TIMELINE_VIEWS = ['focus', 'key', 'all'] as const;
export type TimelineViewName = (typeof TIMELINE_VIEWS)[number];

/** The failing partition of a linearizability counterexample, in the report's words. */
export interface TimelinePartition {
  /** The model the history was checked with (it knows how to split operations into keys). */
  model: string;
  init?: unknown;
  /** The partition's key, as the report names it (`Counterexample.partition`). */
  key: string;
}

export interface ViewSelection {
  operations: Operation[];
  /** Operations in the window that this view leaves out. */
  hidden: number;
  /** What the view draws, in words, e.g. `key "3" on the witness's 5 processes`. */
  description: string;
  /** The key filter could be applied (false: the model does not split, or failed to). */
  keyApplied: boolean;
}

/**
 * The window's operations that the view draws. The key filter asks the checker's model to split
 * the operations as the linearizability check did (so "key" means exactly what the report
 * means); a model that cannot split them leaves every key in.
 */
export function selectView(operations: Operation[], view: TimelineViewName, partition: TimelinePartition | undefined, processes: ReadonlySet<string>): ViewSelection {
  if (view === 'all') return { operations, hidden: 0, description: 'every key and process', keyApplied: false };
  const inKey = partition === undefined ? undefined : operationsOfKey(operations, partition);
  const keyed = inKey === undefined ? operations : operations.filter((o) => inKey.has(o.id));
  const keyWords = inKey !== undefined ? `key ${JSON.stringify(partition!.key)} on ` : '';
  if (view === 'key' || processes.size === 0) {
    return { operations: keyed, hidden: operations.length - keyed.length, description: `${keyWords}every process`, keyApplied: inKey !== undefined };
  }
  const shown = keyed.filter((o) => processes.has(String(o.process)));
  return {
    operations: shown,
    hidden: operations.length - shown.length,
    description: `${keyWords}the witness's ${processes.size} process${processes.size === 1 ? '' : 'es'}`,
    keyApplied: inKey !== undefined,
  };
}

/** The operations of one partition, by the model's own split; undefined when the model cannot split. */
function operationsOfKey(operations: readonly Operation[], partition: TimelinePartition): Set<number> | undefined {
  try {
    const model = createModel(partition.model, partition.init);
    if (model.partition === undefined) return undefined;
    // Partitioning reads each operation's value: a malformed one would throw, so only well-formed ones go in.
    const readable = operations.filter((o) => model.validate?.(o) === undefined);
    const part = model.partition(readable).find((p) => p.key === partition.key);
    return new Set((part?.operations ?? []).map((o) => o.id));
  } catch {
    return undefined;
  }
}
