import type { AnomalySink } from './anomaly-sink.js';
import { showEdn, type Explainer } from './explain.js';
import { MOP_APPEND, MOP_READ, MOP_WRITE, valueKey } from './micro-ops.js';
import { KEY_LIST, ST_OK, V_INIT, V_UNKNOWN, type TxnTable } from './txn-table.js';
import { txnOfMop } from './version-orders.js';

/**
 * Lost update (Adya's H_lu, Elle's direct check): two committed transactions read the same
 * version of a key and both then wrote that key, so one wrote over a state the other had already
 * changed. Found directly, in linear time, by grouping committed transactions by (key, version
 * read before their first write of it); the version order need not be known. A value no
 * transaction wrote counts as a version too: two transactions that both read it and wrote the key
 * lost an update whatever that value's origin (it is also reported as an impossible value).
 */
export function findLostUpdates(table: TxnTable, explain: Explainer, sink: AnomalySink): void {
  const groups = new Map<unknown, number[]>();
  const stride = table.vCount + 1;
  const firstRead = new Int32Array(table.keys.length).fill(-1);
  const readBy = new Int32Array(table.keys.length).fill(-1);
  const wroteBy = new Int32Array(table.keys.length).fill(-1);
  for (let t = 0; t < table.n; t++) {
    if (table.status[t] !== ST_OK) continue;
    for (let g = table.mopStart[t]; g < table.mopStart[t + 1]; g++) {
      const kind = table.mopKind[g];
      const k = table.mopKey[g];
      if (kind === MOP_READ) {
        if (readBy[k] !== t && wroteBy[k] !== t) { readBy[k] = t; firstRead[k] = g; }
        continue;
      }
      if ((kind !== MOP_WRITE && kind !== MOP_APPEND) || wroteBy[k] === t) continue;
      wroteBy[k] = t;
      if (readBy[k] !== t) continue;
      const version = table.mopValue[firstRead[k]];
      if (version < V_UNKNOWN) continue; // a read without a result
      const id = version >= V_INIT ? k * stride + version + 1 : `${k}\u0000${String(valueKey(readValue(table, t, firstRead[k])))}`;
      const group = groups.get(id);
      if (group === undefined) groups.set(id, [firstRead[k]]); else group.push(firstRead[k]);
    }
  }
  for (const reads of groups.values()) {
    if (reads.length < 2) continue;
    const txns = reads.map((g) => txnOfMop(table, g));
    const k = table.mopKey[reads[0]];
    const shown = `${explain.key(k)}=${showEdn(explain.mop(txns[0], reads[0])[2])}`;
    const verb = table.keyKind[k] === KEY_LIST ? 'appended to' : 'wrote';
    const listed = txns.slice(0, 4);
    sink.add('lost-update', () => ({
      txns: listed,
      key: k,
      sentence: (n) => (txns.length === 2
        ? `${n(txns[0])} and ${n(txns[1])} both read ${shown} and then both ${verb} ${explain.key(k)}: one of the two updates was made to a state the other had already changed`
        : `${listed.map(n).join(', ')}${txns.length > listed.length ? ` and ${txns.length - listed.length} more` : ''} all read ${shown} and then ${verb} ${explain.key(k)}: all but one of these updates were made to a state that was already gone`),
    }));
  }
}

/** The value a read micro-op returned, as recorded (a list read: the whole list). */
function readValue(table: TxnTable, t: number, g: number): unknown {
  return (table.mops[t][g - table.mopStart[t]] as unknown[])[2];
}
