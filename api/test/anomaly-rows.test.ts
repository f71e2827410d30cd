import { describe, expect, it } from 'vitest';
import type { Report } from '@verdict/checker';
import { anomalyRows } from '../src/store/report-rows.js';

describe('anomaly rows', () => {
  it('files a linearizability witness of the levels (a protocol run\'s) under linearizability, once', () => {
    const operations = [{ id: 0 }, { id: 1 }];
    const report = {
      consistency: {
        strongest: 'sequential',
        levels: [
          { level: 'strong', status: 'violated', violations: [{ kind: 'linearizability', sentence: 'read 1 after 2 was written', operations }] },
          { level: 'sequential', status: 'holds' },
          { level: 'session', status: 'violated', violations: [{ kind: 'read-your-writes', scope: 's1', sentence: 'did not read its own write', operations }] },
        ],
      },
      linearizability: { outcome: 'illegal', counterexample: { partition: null, witness: { explanation: 'read 1 after 2 was written', operations, minimal: true } } },
    } as unknown as Report;
    const rows = anomalyRows(report);
    expect(rows.map((r) => [r.category, r.type, r.level])).toEqual([
      ['linearizability', 'linearizability', 'strong'],
      ['consistency', 'read-your-writes', 'session'],
    ]);
  });
});
