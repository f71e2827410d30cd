import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkHistory, historyFromOps, renderCycleSvg, renderTimelineSvg, type Op } from '../src/index.js';
import { textPx } from '../src/report/svg-text.js';
import { a, ok, r, serial } from './support/isolation-histories.js';

// fast-check prints the seed and path of a failing run; replay with { seed, path }.
const runs = (n: number) => ({ numRuns: n });

const HOSTILE = ['<script>alert(1)</script>', '"onmouseover="x', "</svg><b onclick='y'>", 'ctl\u0001\u001b', '長い値', 'x'.repeat(300)];

const unescape = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** Text elements of a class, shown (not `display="none"`), with their place and estimated width. */
function shownTexts(svg: string, cls: string): { x: number; y: number; w: number }[] {
  return [...svg.matchAll(new RegExp(`<text class="${cls}[^"]*"([^>]*)>([^<]*)`, 'g'))]
    .filter((m) => !m[1]!.includes('display="none"'))
    .map((m) => ({ x: Number(/ x="([-\d.]+)"/.exec(m[1]!)![1]), y: Number(/ y="([-\d.]+)"/.exec(m[1]!)![1]), w: textPx(unescape(m[2]!)) }));
}

function overlapping(spans: { x: number; y: number; w: number }[]): string | undefined {
  const byRow = new Map<number, { x: number; w: number }[]>();
  for (const s of spans) byRow.set(s.y, [...(byRow.get(s.y) ?? []), s]);
  for (const [y, row] of byRow) {
    row.sort((p, q) => p.x - q.x);
    for (let i = 1; i < row.length; i++) if (row[i]!.x < row[i - 1]!.x + row[i - 1]!.w) return `row y=${y}: ${JSON.stringify(row[i - 1])} and ${JSON.stringify(row[i])}`;
  }
  return undefined;
}

/** A random history: up to 4 processes, values sometimes hostile or long, faults sometimes. */
const randomHistory = fc.array(fc.record({
  process: fc.integer({ min: 0, max: 3 }),
  value: fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constantFrom(...HOSTILE)),
  fault: fc.option(fc.constantFrom(...HOSTILE, 'partition n1 n2 | n3'), { freq: 6 }),
  end: fc.constantFrom('ok', 'fail', 'ok', 'open'),
}), { minLength: 1, maxLength: 40 }).map((steps) => {
  const ops: Omit<Op, 'index'>[] = [];
  const open = new Map<number, { f: string; value: unknown; end: string }>();
  let faulty = false;
  for (const s of steps) {
    if (s.fault !== null) {
      ops.push({ process: 'nemesis', type: 'info', f: faulty ? 'stop-partition' : 'start-partition', value: { description: s.fault } });
      faulty = !faulty;
    }
    const o = open.get(s.process);
    if (o === undefined) {
      const f = typeof s.value === 'number' ? 'write' : 'read';
      ops.push({ process: s.process, type: 'invoke', f, value: f === 'write' ? s.value : null });
      open.set(s.process, { f, value: s.value, end: s.end });
    } else if (o.end !== 'open') {
      ops.push({ process: s.process, type: o.end as 'ok' | 'fail', f: o.f, value: o.value });
      open.delete(s.process);
    }
  }
  return historyFromOps(ops as Op[]);
});

describe('the SVG timeline', () => {
  it('never overlaps its labels, never reaches past its plot, and escapes every value', () => {
    fc.assert(fc.property(randomHistory, fc.integer({ min: 320, max: 1600 }), fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (h, widthPx, pick, v0, v1) => {
      const ids = h.operations.map((o) => o.id).filter((id) => (id * 7919 + pick) % 3 !== 0);
      const last = Math.max(0, h.ops.length - 1);
      const from = Math.floor(Math.min(v0, v1) * last);
      const to = Math.max(from, Math.ceil(Math.max(v0, v1) * last));
      const svg = renderTimelineSvg(h, undefined, { highlight: new Set(ids), blocked: ids[0], window: { from: 0, to: last }, view: { from, to }, widthPx });
      const plot = Number(/data-plot="([\d.]+)"/.exec(svg)![1]);
      expect(overlapping(shownTexts(svg, 'op-label'))).toBeUndefined();
      expect(overlapping(shownTexts(svg, 'fault-label'))).toBeUndefined();
      for (const s of [...shownTexts(svg, 'op-label'), ...shownTexts(svg, 'fault-label')]) {
        expect(s.x).toBeGreaterThanOrEqual(-0.5);
        expect(s.x + s.w).toBeLessThanOrEqual(plot + 0.5);
      }
      for (const m of svg.matchAll(/<rect class="(?:ok|fail|info|fault)[^"]*" (?:data-p0="[^"]*" data-p1="[^"]*" )?x="([-\d.]+)" y="[^"]*" width="([\d.]+)"/g)) {
        expect(Number(m[1])).toBeGreaterThanOrEqual(-4);
        expect(Number(m[1]) + Number(m[2])).toBeLessThanOrEqual(plot + 4.01 + 1e-9); // the sum of two printed decimals carries float error (seed 364094280)
      }
      expect(svg).not.toMatch(/<script|<b |onclick='|"onmouseover="|\u0001|\u001b/);
    }), runs(120));
  });

  it('labels the blocked operation and the witness in full, beneath their bars', async () => {
    const ops: Omit<Op, 'index'>[] = [
      { process: 0, type: 'invoke', f: 'write', value: 1 }, { process: 0, type: 'ok', f: 'write', value: 1 },
      { process: 1, type: 'invoke', f: 'read', value: null }, { process: 1, type: 'ok', f: 'read', value: 2 },
    ];
    const h = historyFromOps(ops as Op[]);
    const report = await checkHistory(h, { model: 'register', init: 0 });
    const svg = renderTimelineSvg(h, report);
    expect(svg).toContain('<text class="op-label bl-label" data-call="2"');
    expect(svg).toContain('>✕ cannot follow the prefix: #1 read 2</text>');
    expect(svg).toMatch(/<rect class="ok hl bl" /);
    expect(svg).toContain('data-process="1"');
  });

  it('draws an axis in positions, and in seconds when the history has times', () => {
    const ops = [0, 1, 2, 3].map((i) => ({ process: 0, type: i % 2 === 0 ? 'invoke' : 'ok', f: 'write', value: 1, time: 1_500_000_000 + i * 250_000_000 })) as Op[];
    const svg = renderTimelineSvg(historyFromOps(ops));
    expect(svg).toMatch(/<text x="[\d.]+" y="11">0<\/text>/);
    expect(svg).toMatch(/<text x="[\d.]+" y="23">1\.50 s<\/text>/);
    expect(svg).toContain('data-times="[1500000000,1750000000,2000000000,2250000000]"');
  });
});

describe('the SVG cycle graph', () => {
  it('draws each transaction once and each edge with its kind, key and value, escaped', () => {
    const svg = renderCycleSvg({
      type: 'G2-item', sentence: HOSTILE[0],
      transactions: [
        { name: 'T1', process: HOSTILE[2]!, status: 'ok', call: 0, ret: 1, ops: [['r', HOSTILE[0], null], ['append', 'y', 1]] },
        { name: 'T2', process: 2, status: 'info', call: 2, ret: null, ops: [['r', 'y', null], ['append', HOSTILE[0], HOSTILE[1]]] },
      ],
      edges: [
        { from: 'T1', to: 'T2', kind: 'rw', key: HOSTILE[0], value: HOSTILE[1], why: HOSTILE[2] },
        { from: 'T2', to: 'T1', kind: 'rw', key: 'y', value: 1 },
      ],
    });
    expect(svg.match(/<g class="txn" /g)).toHaveLength(2);
    expect(svg).toContain('<g class="edge" data-from="T1" data-to="T2" data-kind="rw" data-key="&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;" data-value="&quot;\\&quot;onmouseover=\\&quot;x&quot;">');
    expect(svg).toContain('<g class="edge" data-from="T2" data-to="T1" data-kind="rw" data-key="y" data-value="1">');
    expect(svg).toContain('data-process="&lt;/svg&gt;&lt;b onclick=&#39;y&#39;&gt;"');
    expect(svg).not.toMatch(/<script|<b |onclick='|"onmouseover="/);
    expect(svg).not.toContain('<style');
    // Opposite edges between two transactions bend apart: their labels do not sit on each other.
    const labels = [...svg.matchAll(/<text x="([-\d.]+)" y="([-\d.]+)" text-anchor="middle"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(labels).toHaveLength(2);
    expect(Math.abs(labels[0]![1]! - labels[1]![1]!)).toBeGreaterThan(16);
  });

  it('labels the edges of a checked anomaly with the values the checker gives them', async () => {
    // Write skew: each transaction reads the key the other appends to.
    const h = serial(ok(r('x', null), a('y', 1)), ok(r('y', null), a('x', 2)));
    const report = await checkHistory(h, {});
    const anomaly = report.isolation?.anomalies.find((x) => x.edges.length >= 2 && x.edges.every((e) => e.kind === 'rw'));
    expect(anomaly, JSON.stringify(report.isolation?.anomalies)).toBeDefined();
    const svg = renderCycleSvg(anomaly!);
    expect(svg).toMatch(/data-kind="rw" data-key="x" data-value="2"/);
    expect(svg).toMatch(/data-kind="rw" data-key="y" data-value="1"/);
  });
});
