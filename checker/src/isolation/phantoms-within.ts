import type { AnomalySink } from './anomaly-sink.js';
import { showEdn, type Explainer } from './explain.js';
import { inRange, MOP_APPEND, MOP_DELETE, MOP_READ, MOP_SCAN, MOP_WRITE, valueKey } from './micro-ops.js';
import { keysInRange, type KeyInserts } from './key-inserts.js';
import { KEY_LIST, V_ABSENT, V_INIT, type TxnTable } from './txn-table.js';

/** What a transaction last learnt about whether a key exists, and from which micro-op. */
interface Sighting {
  present: boolean;
  g: number;
  scan: boolean;
  /** The transaction wrote the key itself: from then on it must see it (checked elsewhere). */
  own: boolean;
}

/**
 * Phantoms inside one committed transaction: walking its micro-ops in order, every scan and item
 * read says whether a key exists; two such sightings of the same key, at least one of them a
 * scan, that disagree while the transaction itself wrote (or deleted) nothing to that key in
 * between, mean the predicate's answer changed under it: another transaction's insert or delete
 * (two item reads that disagree are a fuzzy read, reported as such). A delete is a sighting too:
 * the key existed when it was deleted.
 */
export function phantomsWithin(table: TxnTable, inserts: KeyInserts, keyIds: Map<unknown, number>, t: number, explain: Explainer, sink: AnomalySink): void {
  const sightings = new Map<number, Sighting>();
  const see = (k: number, present: boolean, g: number, scan: boolean): void => {
    const before = sightings.get(k);
    sightings.set(k, { present, g, scan, own: false });
    if (before === undefined || before.own || before.present === present || (!before.scan && !scan)) return;
    sink.add('phantom-read', () => ({
      txns: [t],
      key: k,
      sentence: (n) => `${n(t)}: ${describe(table, explain, t, k, before)}, but later ${describe(table, explain, t, k, { present, g, scan, own: false })}, and ${n(t)} wrote nothing to ${explain.key(k)} in between`,
    }));
  };
  for (let g = table.mopStart[t]; g < table.mopStart[t + 1]; g++) {
    const kind = table.mopKind[g];
    if (kind === MOP_WRITE || kind === MOP_APPEND) {
      sightings.set(table.mopKey[g], { present: true, g, scan: false, own: true });
    } else if (kind === MOP_DELETE) {
      see(table.mopKey[g], true, g, false);
      sightings.set(table.mopKey[g], { present: false, g, scan: false, own: true });
    } else if (kind === MOP_READ) {
      const k = table.mopKey[g];
      const v = table.mopValue[g];
      see(k, table.keyKind[k] === KEY_LIST ? table.mopLen[g] > 0 : v !== V_INIT && v !== V_ABSENT, g, false);
    } else if (kind === MOP_SCAN) {
      const scan = table.scans[table.mopValue[g]];
      if (scan.result === null) continue;
      const shown = new Set<number>();
      for (const key of scan.result) {
        const k = keyIds.get(valueKey(key));
        if (k !== undefined && inRange(key, scan.lo, scan.hi)) shown.add(k);
      }
      const candidates = new Set([...keysInRange(table, inserts.sorted, scan.lo, scan.hi), ...shown]);
      for (const k of candidates) see(k, shown.has(k), g, true);
    }
  }
}

function describe(table: TxnTable, explain: Explainer, t: number, k: number, s: Sighting): string {
  const mop = explain.mop(t, s.g);
  if (table.mopKind[s.g] === MOP_DELETE) return `it deleted ${explain.key(k)}, which therefore existed`;
  if (!s.scan) return `it read ${explain.key(k)}=${showEdn(mop[2])}`;
  const scan = table.scans[table.mopValue[s.g]];
  return `its scan of [${showEdn(scan.lo)} ${showEdn(scan.hi)}] ${s.present ? 'saw' : 'did not see'} key ${explain.key(k)}`;
}
