import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exportOps, historyFromOps, historyToEdn, historyToJsonl, parseHistory, readHistoryFile, writeHistoryJsonl, type History, type Op } from '../src/index.js';
import { corpusPath } from './support/corpus-expected.js';

/** Ops without the parser's source line, which a round trip through another layout changes. */
const withoutLines = (h: History): Omit<Op, 'line'>[] => h.ops.map(({ line: _line, ...op }) => op);

const CORPUS_SAMPLES = [
  ['knossos', 'cas-register/bad/cas-failure.edn'],
  ['knossos', 'cas-register/bad/immediate-failure.edn'],
  ['porcupine', 'jepsen/etcd_000.log'],
  ['porcupine', 'kv/c10-bad.txt'],
  ['elle', 'si-without-g-single.edn'],
  ['elle', 'paper-example.edn'],
] as const;

describe('history export', () => {
  it.each(CORPUS_SAMPLES)('round-trips %s/%s through JSONL and EDN', async (folder, file) => {
    const original = await readHistoryFile(corpusPath(folder, file));
    const viaJsonl = parseHistory(historyToJsonl(original), { format: 'jsonl' });
    const viaEdn = parseHistory(historyToEdn(original), { format: 'edn' });
    expect(withoutLines(viaJsonl)).toEqual(withoutLines(original));
    expect(withoutLines(viaEdn)).toEqual(withoutLines(original));
    expect(viaEdn.operations).toEqual(original.operations);
  });

  it('writes Jepsen-style EDN: keywords for type, f, named processes and micro-op names', () => {
    const h = historyFromOps([
      { process: 0, type: 'invoke', f: 'txn', value: [['append', 9, 2], ['r', 9, null]] },
      { process: 'nemesis', type: 'info', f: 'start', value: { nodes: ['n1'] } },
      { process: 0, type: 'ok', f: 'txn', value: [['append', 9, 2], ['r', 9, [2]]], time: 7, error: 'not a keyword: a string' },
    ]);
    expect(historyToEdn(h)).toBe(
      '[{:index 0 :process 0 :type :invoke :f :txn :value [[:append 9 2] [:r 9 nil]]}\n'
      + ' {:index 1 :process :nemesis :type :info :f :start :value {:nodes ["n1"]}}\n'
      + ' {:index 2 :process 0 :type :ok :f :txn :value [[:append 9 2] [:r 9 [2]]] :time 7 :error "not a keyword: a string"}]\n',
    );
    expect(historyToJsonl(h).split('\n')[0]).toBe('{"index":0,"process":0,"type":"invoke","f":"txn","value":[["append",9,2],["r",9,null]]}');
  });

  it('round-trips generated histories with arbitrary values (fast-check)', () => {
    const leaf = fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null),
      fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)));
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.string(), tie('v'), { maxKeys: 3 })),
    })).v;
    const fName = fc.constantFrom('read', 'write', 'cas', 'txn', 'with space', '1st', 'a/b');
    const step = fc.record({ process: fc.integer({ min: 0, max: 3 }), f: fName, input: value, output: value, completion: fc.constantFrom('ok', 'fail', 'info', 'none') });
    fc.assert(fc.property(fc.array(step, { maxLength: 12 }), fc.array(value, { maxLength: 2 }), (steps, faults) => {
      const ops: Omit<Op, 'index'>[] = [];
      steps.forEach((s, i) => {
        const process = s.process + 4 * i; // a fresh process for every operation: none is ever open twice
        ops.push({ process, type: 'invoke', f: s.f, value: s.input });
        if (s.completion !== 'none') ops.push({ process, type: s.completion, f: s.f, value: s.output, time: i });
      });
      for (const fault of faults) ops.push({ process: 'nemesis', type: 'info', f: 'start', value: fault });
      if (ops.length === 0) return;
      const h = historyFromOps(ops);
      expect(withoutLines(parseHistory(historyToJsonl(h), { format: 'jsonl' }))).toEqual(withoutLines(h));
      expect(withoutLines(parseHistory(historyToEdn(h), { format: 'edn' }))).toEqual(withoutLines(h));
    }), { numRuns: 200 });
  });

  it('streams JSONL to a slow writable, honouring backpressure', async () => {
    const h = await readHistoryFile(corpusPath('porcupine', 'kv/c50-ok.txt'));
    const chunks: string[] = [];
    let writes = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, done) {
        writes++;
        chunks.push(chunk.toString());
        setImmediate(done);
      },
    });
    await writeHistoryJsonl(h.ops, slow);
    async function* replay(): AsyncGenerator<Op> {
      yield* h.ops;
    }
    const again: string[] = [];
    await writeHistoryJsonl(replay(), new Writable({ write(chunk: Buffer, _enc, done) { again.push(chunk.toString()); done(); } }));
    expect(writes).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(historyToJsonl(h));
    expect(again.join('')).toBe(historyToJsonl(h));
  });

  it('exports a history read with keepOps: false by rebuilding its ops', async () => {
    const path = corpusPath('knossos', 'cas-register/bad/cas-failure.edn');
    const full = await readHistoryFile(path);
    const lean = await readHistoryFile(path, { keepOps: false });
    expect(lean.ops).toHaveLength(0);
    const rebuilt = exportOps(lean);
    expect(rebuilt).toHaveLength(full.ops.length);
    // An info completion is rebuilt with its invocation's value; everything else is as read.
    const expected = withoutLines(full).map((op) => (op.type === 'info' && op.process !== 'nemesis'
      ? { ...op, value: full.operations.find((o) => o.completionIndex === op.index)!.input } : op));
    expect(rebuilt.map(({ line: _line, ...op }) => op)).toEqual(expected);
    expect(parseHistory(historyToJsonl(lean)).operations).toEqual(full.operations);
  });
});
