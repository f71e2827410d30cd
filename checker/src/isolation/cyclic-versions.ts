import type { AnomalySink } from './anomaly-sink.js';
import { showEdn } from './explain.js';
import { sourceNames, type RegisterOrders } from './register-versions.js';
import { writtenValue, type TxnTable } from './txn-table.js';

/**
 * Reports the register version orders the history's facts make cyclic (Elle's `cyclic-versions`):
 * versions of one key that must each come before another. Version orders are total, so a cycle
 * rules out even read uncommitted; one that needs a writes-follow-reads fact rules out read
 * committed and above only (under read uncommitted a transaction may install its write before
 * the version it read), so it goes by another name in the lattice.
 */
export function reportCyclicVersions(table: TxnTable, registers: RegisterOrders, sink: AnomalySink): void {
  for (const c of registers.cyclic) {
    const values = c.nodes.map((v) => (v < 0 ? 'nil' : showEdn(writtenValue(table, v))));
    const writers = [...new Set(c.nodes.filter((v) => v >= 0).map((v) => table.vTxn[v]))];
    sink.add('cyclic-versions', () => ({
      txns: writers,
      key: c.key,
      sentence: (n) => `The versions ${values.join(', ')} of key ${showEdn(table.keys[c.key])} must each come before another (from ${sourceNames(c.sources).join(', ')}): no version order has them all${writers.length > 0 ? `; written by ${writers.map(n).join(', ')}` : ''}`,
    }), c.needsWfr ? 'cyclic-versions-wfr' : 'cyclic-versions');
  }
}
