import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkHistory,
  checkIsolation,
  historyFromOps,
  historyToEdn,
  historyToJsonl,
  parseHistory,
  renderJunit,
  renderText,
  valueEquals,
  type HistoryFormat,
  type Op,
} from '../src/index.js';
import { hasLongDigitRun } from '../src/history/exact-json.js';

/** 2^53 + 1 and 2^53: one double apart only in their last bit, which a double does not have. */
const BIG = '9007199254740993';
const NEAR = '9007199254740992';

type Shape = { process: number; type: string; f: string; value: string };

/** Ops with their values as raw number text, written out in each format. */
function write(format: HistoryFormat, ops: readonly Shape[]): string {
  switch (format) {
    case 'edn':
      return ops.map((o) => `{:process ${o.process}, :type :${o.type}, :f :${o.f}, :value ${o.value}}`).join('\n');
    case 'jsonl':
      return ops.map((o) => `{"process":${o.process},"type":"${o.type}","f":"${o.f}","value":${o.value === 'nil' ? 'null' : o.value}}`).join('\n');
    case 'json':
      return `[${ops.map((o) => `{"process":${o.process},"type":"${o.type}","f":"${o.f}","value":${o.value === 'nil' ? 'null' : o.value}}`).join(',\n')}]`;
    case 'porcupine-etcd':
      return ops.map((o) => `INFO  jepsen.util - ${o.process}\t:${o.type}\t:${o.f}\t${o.value}`).join('\n');
    default:
      throw new Error(format);
  }
}

const WRITE_THEN_READ = (written: string, read: string): Shape[] => [
  { process: 0, type: 'invoke', f: 'write', value: written },
  { process: 0, type: 'ok', f: 'write', value: written },
  { process: 1, type: 'invoke', f: 'read', value: 'nil' },
  { process: 1, type: 'ok', f: 'read', value: read },
];

describe('integers beyond 2^53 are exact', () => {
  describe.each(['edn', 'json', 'jsonl', 'porcupine-etcd'] as const)('in %s', (format) => {
    it(`a read of ${NEAR} after a write of ${BIG} is not linearizable`, async () => {
      const h = parseHistory(write(format, WRITE_THEN_READ(BIG, NEAR)), { format });
      expect(h.operations[0]!.input).toBe(9007199254740993n);
      expect(h.operations[1]!.output).toBe(9007199254740992n);
      const model = format === 'porcupine-etcd' ? undefined : 'register';
      const report = await checkHistory(h, model === undefined ? {} : { model });
      expect(report.linearizability!.outcome).toBe('illegal');
      // The report prints both values exactly and stays JSON.
      const text = renderText(report);
      expect(text).toContain(BIG);
      expect(text).toContain(NEAR);
      expect(JSON.parse(JSON.stringify(report)).linearizability.outcome).toBe('illegal');
      expect(renderJunit(report)).toContain('<testsuite');
    });

    it(`a read of ${BIG} after a write of ${BIG} is linearizable`, async () => {
      const h = parseHistory(write(format, WRITE_THEN_READ(BIG, BIG)), { format });
      const report = await checkHistory(h, format === 'porcupine-etcd' ? {} : { model: 'register' });
      expect(report.linearizability!.outcome).toBe('ok');
    });
  });

  it('keeps safe integers plain numbers (no bigint on the hot path), in every format', () => {
    for (const format of ['edn', 'json', 'jsonl', 'porcupine-etcd'] as const) {
      const h = parseHistory(write(format, WRITE_THEN_READ('9007199254740991', '-9007199254740991')), { format });
      expect(h.operations[0]!.input).toBe(9007199254740991);
      expect(h.operations[1]!.output).toBe(-9007199254740991);
    }
  });

  it('reads EDN N-suffixed, hex and 64-bit extremes exactly, and floats as floats', () => {
    const h = parseHistory(`{:process 0 :type :invoke :f :write :value [1N ${BIG}N 0x20000000000001 -9223372036854775808 18446744073709551615 1e20 100000000000000000000 2.5M]}`, { format: 'edn' });
    expect(h.ops[0]!.value).toEqual([1, 9007199254740993n, 9007199254740993n, -9223372036854775808n, 18446744073709551615n, 1e20, 10n ** 20n, 2.5]);
  });

  it('reads a 64-bit :time as a number and a 64-bit process id exactly', () => {
    const h = parseHistory(`{:process 18446744073709551615 :type :invoke :f :read :value nil :time 1761222833067226378}`, { format: 'edn' });
    expect(h.ops[0]!.time).toBe(1761222833067226378);
    expect(h.ops[0]!.process).toBe('18446744073709551615');
  });

  const ok = (process: number, f: string, invoke: unknown, done: unknown): Omit<Op, 'index'>[] => [
    { process, type: 'invoke', f, value: invoke },
    { process, type: 'ok', f, value: done },
  ];
  const B = 9007199254740993n;
  const N = 9007199254740992n;

  it.each([
    ['cas-register', [...ok(0, 'write', N, N), ...ok(1, 'cas', [B, 1], [B, 1])]],
    ['kv', [...ok(0, 'write', ['k', B], ['k', B]), ...ok(1, 'read', ['k', null], ['k', N])]],
    ['set', [...ok(0, 'add', B, B), ...ok(1, 'read', null, [N])]],
    ['fifo-queue', [...ok(0, 'enqueue', B, B), ...ok(1, 'dequeue', null, N)]],
    ['unordered-queue', [...ok(0, 'enqueue', B, B), ...ok(1, 'dequeue', null, N)]],
    ['counter', [...ok(0, 'add', 9007199254740991, 9007199254740991), ...ok(1, 'add', 2, 2), ...ok(2, 'read', null, N)]],
    ['multi-register', [...ok(0, 'txn', [['w', 'x', B]], [['w', 'x', B]]), ...ok(1, 'txn', [['r', 'x', null]], [['r', 'x', N]])]],
  ] as const)('the %s model tells 2^53 + 1 from 2^53 (and round-trips through EDN and JSONL)', async (model, ops) => {
    const h = historyFromOps(ops as unknown as Omit<Op, 'index'>[]);
    for (const again of [h, parseHistory(historyToEdn(h), { format: 'edn' }), parseHistory(historyToJsonl(h), { format: 'jsonl' })]) {
      expect((await checkHistory(again, { model })).linearizability!.outcome).toBe('illegal');
    }
  });

  it('the counter adds exactly past 2^53', async () => {
    const h = historyFromOps([...ok(0, 'add', 9007199254740991, 9007199254740991), ...ok(1, 'add', 2, 2), ...ok(2, 'read', null, B)]);
    expect((await checkHistory(h, { model: 'counter' })).linearizability!.outcome).toBe('ok');
  });

  it("isolation's value index tells them apart: a read of a value never written is an anomaly", () => {
    const txn = (process: number, invoke: unknown, done: unknown): Omit<Op, 'index'>[] => ok(process, 'txn', invoke, done);
    const good = historyFromOps([...txn(0, [['w', 'x', B]], [['w', 'x', B]]), ...txn(1, [['r', 'x', null]], [['r', 'x', B]])]);
    const bad = historyFromOps([...txn(0, [['w', 'x', B]], [['w', 'x', B]]), ...txn(1, [['r', 'x', null]], [['r', 'x', N]])]);
    expect(checkIsolation(good).anomalies).toEqual([]);
    expect(checkIsolation(bad).anomalies.length).toBeGreaterThan(0);
    const appends = historyFromOps([...txn(0, [['append', 'x', B]], [['append', 'x', B]]), ...txn(1, [['r', 'x', null]], [['r', 'x', [N]]])]);
    expect(checkIsolation(appends).anomalies.length).toBeGreaterThan(0);
  });

  it('random 64-bit values round-trip through every format and compare exactly (fast-check)', () => {
    const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n });
    const normal = (b: bigint): number | bigint => (b >= -(2n ** 53n - 1n) && b <= 2n ** 53n - 1n ? Number(b) : b);
    fc.assert(fc.property(int64, int64, (a, b) => {
      for (const format of ['edn', 'json', 'jsonl', 'porcupine-etcd'] as const) {
        const h = parseHistory(write(format, WRITE_THEN_READ(String(a), String(b))), { format });
        const [x, y] = [h.operations[0]!.input, h.operations[1]!.output];
        expect(x).toBe(normal(a));
        expect(y).toBe(normal(b));
        expect(valueEquals(x, y)).toBe(a === b);
        for (const again of [parseHistory(historyToEdn(h), { format: 'edn' }), parseHistory(historyToJsonl(h), { format: 'jsonl' })]) {
          expect(again.operations[0]!.input).toBe(x);
          expect(again.operations[1]!.output).toBe(y);
        }
      }
    }), { numRuns: 200 });
  });
});

describe('the JSON fast path misses no long integer', () => {
  it('hasLongDigitRun agrees with /\\d{16}/ on any text, at any offset (fast-check)', () => {
    const piece = fc.oneof(fc.stringMatching(/^\d{1,40}$/), fc.string({ maxLength: 20 }), fc.constantFrom(',', ' ', '"', '-', '.', 'e'));
    fc.assert(fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
      const text = pieces.join('');
      expect(hasLongDigitRun(text)).toBe(/\d{16}/.test(text));
    }), { numRuns: 2000 });
  });

  it('finds a 16-digit run wherever it starts, and refuses 15 digits', () => {
    for (let pad = 0; pad < 40; pad++) {
      expect(hasLongDigitRun(`${'x'.repeat(pad)}${'9'.repeat(16)}`)).toBe(true);
      expect(hasLongDigitRun(`${'x'.repeat(pad)}${'9'.repeat(16)}}`)).toBe(true);
      expect(hasLongDigitRun(`${'x'.repeat(pad)}${'9'.repeat(15)},${'9'.repeat(15)}`)).toBe(false);
    }
  });

  it('a JSONL line whose only long integer sits past the first 16 characters is read exactly', () => {
    const h = parseHistory(`{"process":0,"type":"invoke","f":"write","value":${BIG}}\n{"process":0,"type":"ok","f":"write","value":${BIG}}`, { format: 'jsonl' });
    expect(h.operations[0]!.input).toBe(BigInt(BIG));
  });
});
