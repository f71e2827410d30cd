import { keyId, type MicroOp, type TxnKey } from './list-append.js';

/** Shared for reads, exclusive for appends. */
export type LockMode = 'S' | 'X';

/** One lock a transaction's share needs at a participant. */
export interface LockRequest {
  key: TxnKey;
  mode: LockMode;
}

interface Lock {
  key: TxnKey;
  mode: LockMode;
  holders: Set<string>;
}

/**
 * The locks a transaction needs: one per key, exclusive when it appends to the key anywhere,
 * shared when it only reads it (so a read followed by an append asks for X once, not S then X).
 */
export function lockRequests(ops: readonly MicroOp[]): LockRequest[] {
  const modes = new Map<string, LockRequest>();
  for (const [f, key] of ops) {
    const id = keyId(key);
    const mode: LockMode = f === 'append' ? 'X' : 'S';
    const seen = modes.get(id);
    if (seen === undefined) modes.set(id, { key, mode });
    else if (mode === 'X') seen.mode = 'X';
  }
  return [...modes.values()];
}

/**
 * Strict two-phase locking with no-wait: a transaction asks for all its locks at once, gets all
 * or none, and a conflict is answered at once (the participant votes no) instead of queueing.
 * No-wait because a transaction's locks are spread over participants: waiting could deadlock
 * across nodes, which would need distributed detection, and a blocked key shows up as a prompt
 * `fail` in the history (availability lost) rather than as a client timeout (outcome unknown).
 * Locks are held until commit or abort (strict), so no transaction sees another's
 * uncommitted appends.
 */
export class LockTable {
  private readonly locks = new Map<string, Lock>();

  /** Grants every request to `txn`, or none; returns the first conflicting key, if any. */
  acquire(txn: string, requests: readonly LockRequest[]): { ok: true } | { ok: false; key: TxnKey; holder: string } {
    for (const req of requests) {
      const lock = this.locks.get(keyId(req.key));
      if (lock === undefined) continue;
      const others = [...lock.holders].filter((h) => h !== txn);
      if (others.length === 0) continue;
      if (req.mode === 'X' || lock.mode === 'X') return { ok: false, key: req.key, holder: others[0]! };
    }
    for (const req of requests) {
      const id = keyId(req.key);
      const lock = this.locks.get(id);
      if (lock === undefined) this.locks.set(id, { key: req.key, mode: req.mode, holders: new Set([txn]) });
      else {
        lock.holders.add(txn);
        if (req.mode === 'X') lock.mode = 'X';
      }
    }
    return { ok: true };
  }

  /** Releases every lock `txn` holds on the given keys. */
  release(txn: string, keys: readonly TxnKey[]): void {
    for (const key of keys) {
      const id = keyId(key);
      const lock = this.locks.get(id);
      if (lock === undefined) continue;
      lock.holders.delete(txn);
      if (lock.holders.size === 0) this.locks.delete(id);
    }
  }

  /** The transaction holding `key` exclusively, if any. */
  exclusiveHolder(key: TxnKey): string | undefined {
    const lock = this.locks.get(keyId(key));
    return lock?.mode === 'X' ? [...lock.holders][0] : undefined;
  }

  /** Keys currently locked, for logs and tests. */
  lockedKeys(): TxnKey[] {
    return [...this.locks.values()].map((l) => l.key);
  }
}
