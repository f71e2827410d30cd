import type { AnomalySink } from './anomaly-sink.js';
import { showEdn, type Explainer } from './explain.js';
import { RULES_OUT } from './levels.js';
import { MOP_APPEND, MOP_READ, MOP_WRITE } from './micro-ops.js';
import { KEY_LIST, ST_OK, V_INIT, type TxnTable } from './txn-table.js';
import { txnOfMop } from './version-orders.js';

/**
 * Lost update (Adya's H_lu, Elle's direct check): two committed transactions read the same
 * version of a key and both then wrote that key, so one wrote over a state the other had already
 * changed. Found directly, in linear time, by grouping committed transactions by (key, version
 * read before their first write of it); the version order need not be known.
 */
export function findLostUpdates(table: TxnTable, explain: Explainer, sink: AnomalySink): void {
  const groups = new Map<number, number[]>();
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
      if (version < V_INIT) continue; // a value nobody wrote: reported elsewhere
      const id = k * stride + version + 1;
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
    sink.add('lost-update', RULES_OUT['lost-update'], () => ({
      txns: listed,
      key: k,
      sentence: (n) => (txns.length === 2
        ? `${n(txns[0])} and ${n(txns[1])} both read ${shown} and then both ${verb} ${explain.key(k)}: one of the two updates was made to a state the other had already changed`
        : `${listed.map(n).join(', ')}${txns.length > listed.length ? ` and ${txns.length - listed.length} more` : ''} all read ${shown} and then ${verb} ${explain.key(k)}: all but one of these updates were made to a state that was already gone`),
    }));
  }
}
