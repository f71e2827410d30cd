import { describe, expect, it } from 'vitest';
import { checkHistory, historyFromOps, meetsRequirement, renderJunit, renderText, renderTimelineSvg, type Op } from '../src/index.js';

type Raw = Omit<Op, 'index'>;
const op = (process: number | string, type: Raw['type'], f: string, value: unknown): Raw => ({ process, type, f, value });

// A stale read on key "x" by a second session, plus a fault band and hostile text everywhere.
const hostile = '<script>alert("x")</script>\u001b[31m';
const ops: Raw[] = [
  op('nemesis', 'info', 'start-partition', hostile),
  op(0, 'invoke', 'write', [hostile, 1]),
  op(0, 'ok', 'write', [hostile, 1]),
  op(0, 'invoke', 'write', [hostile, 2]),
  op(0, 'ok', 'write', [hostile, 2]),
  op(1, 'invoke', 'read', [hostile, null]),
  op(1, 'ok', 'read', [hostile, 1]),
  op('nemesis', 'info', 'stop-partition', null),
];

describe('report renderings', () => {
  it('text names the verdict, the witness and the prefix, and escapes control characters', async () => {
    const report = await checkHistory(historyFromOps(ops), { model: 'kv', init: 0, levels: true });
    expect(report.verdict.outcome).toBe('violated');
    expect(report.verdict.consistency).toBe('sequential');
    const text = renderText(report);
    expect(text).toContain('VERDICT: VIOLATED');
    expect(text).toContain('Witness');
    expect(text).toContain('Consistency levels');
    expect(text).not.toContain('\u001b');
  });

  it('JUnit has a case per level and per witness, not applicable as skipped, and escapes', async () => {
    const report = await checkHistory(historyFromOps(ops), { model: 'kv', init: 0, levels: true });
    const xml = renderJunit(report, { require: 'sequential' });
    for (const level of ['strong', 'sequential', 'session', 'user', 'eventual']) expect(xml).toContain(`name="${level}"`);
    expect(xml).toContain('classname="verdict.requirement" name="require sequential"');
    expect(xml).toMatch(/<testcase classname="verdict.consistency" name="strong"[^>]*>\s*<failure/);
    expect(xml).not.toContain('<script>');
    // Eventual has no final reads here: it cannot be judged, so skipped with the reason, never a pass.
    expect(xml).toMatch(/<testcase classname="verdict.consistency" name="eventual"[^>]*>\s*<skipped message="eventual not applicable: no final reads/);
    expect(meetsRequirement(report, 'eventual').result).toBe('unknown');
    expect(meetsRequirement(report, 'sequential').result).toBe('yes');
    expect(meetsRequirement(report, 'strong').result).toBe('no');
    expect(meetsRequirement(report, 'serializable').result).toBe('unknown');
  });

  it('the SVG timeline outlines the witness, shades the fault and escapes every value', async () => {
    const history = historyFromOps(ops);
    const report = await checkHistory(history, { model: 'kv', init: 0 });
    const svg = renderTimelineSvg(history, report);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('class="fault"');
    expect(svg).toMatch(/class="ok hl"/);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).not.toContain('\u001b');
  });
});
