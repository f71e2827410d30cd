/**
 * Elle's list-append transactions as the transactional protocols carry them: a client sends
 * `f: "txn"` with micro-ops `["append", k, v]` and `["r", k, null]`, and an `ok` completes each
 * read as `["r", k, [values…]]`. Keys are JSON scalars (integers or strings).
 */

/** A key: a JSON scalar, so it names the same key in every node and in the history. */
export type TxnKey = string | number;

export type AppendOp = ['append', TxnKey, unknown];
/** A read; `null` as invoked, the list of appended values as completed. */
export type ReadOp = ['r', TxnKey, unknown[] | null];
export type MicroOp = AppendOp | ReadOp;

/** The client-visible name of the operation. */
export const TXN_F = 'txn';

function isKey(k: unknown): k is TxnKey {
  return typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k));
}

/**
 * Validates a request's value as a list of micro-ops. Returns the ops, or a reason a person can
 * read when the value is not a transaction (the coordinator fails such a request at once).
 */
export function parseTxn(value: unknown): MicroOp[] | { error: string } {
  if (!Array.isArray(value)) return { error: 'a txn value must be a list of micro-ops' };
  const ops: MicroOp[] = [];
  for (const [i, op] of value.entries()) {
    if (!Array.isArray(op) || op.length !== 3) return { error: `micro-op ${i} must be [f, key, value]` };
    const [f, k, v] = op as unknown[];
    if (!isKey(k)) return { error: `micro-op ${i} has a key that is not a string or a finite number` };
    if (f === 'append') ops.push(['append', k, v]);
    else if (f === 'r') ops.push(['r', k, null]);
    else return { error: `micro-op ${i} has f ${JSON.stringify(f)}; only append and r are supported` };
  }
  return ops;
}

/** True when the transaction only reads (final reads are such transactions). */
export function isReadOnly(ops: readonly MicroOp[]): boolean {
  return ops.every((op) => op[0] === 'r');
}

/** A stable string for a key, used in storage keys and lock tables (1 and "1" differ). */
export function keyId(key: TxnKey): string {
  return JSON.stringify(key);
}

/**
 * Each participant's share of a transaction: its micro-ops in the transaction's order, and where
 * each sits in the whole, so the coordinator can put completed reads back in place.
 */
export interface TxnShare {
  ops: MicroOp[];
  positions: number[];
}

/** How many shares append: atomic commitment is at stake only when two or more do. */
export function writingShares(shares: ReadonlyMap<string, TxnShare>): number {
  let n = 0;
  for (const share of shares.values()) if (!isReadOnly(share.ops)) n++;
  return n;
}

/** Splits a transaction into its participants' shares, keeping each share in transaction order. */
export function splitTxn(ops: readonly MicroOp[], ownerOf: (key: TxnKey) => string): Map<string, TxnShare> {
  const shares = new Map<string, TxnShare>();
  for (const [i, op] of ops.entries()) {
    const owner = ownerOf(op[1]);
    let share = shares.get(owner);
    if (share === undefined) {
      share = { ops: [], positions: [] };
      shares.set(owner, share);
    }
    share.ops.push(op);
    share.positions.push(i);
  }
  return shares;
}

/**
 * Rebuilds the whole completed transaction from each participant's completed share. A share that
 * is missing leaves the invoked micro-ops as they were.
 */
export function mergeResults(ops: readonly MicroOp[], shares: ReadonlyMap<string, TxnShare>, results: ReadonlyMap<string, readonly MicroOp[]>): MicroOp[] {
  const merged: MicroOp[] = ops.map((op) => [...op] as MicroOp);
  for (const [owner, share] of shares) {
    const done = results.get(owner);
    if (done === undefined) continue;
    share.positions.forEach((pos, j) => {
      const op = done[j];
      if (op !== undefined) merged[pos] = op;
    });
  }
  return merged;
}
