import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkBankInvariant, checkHistory, checkSync, createModel, historyFromOps, parseHistory, type Op } from '../src/index.js';
import { bruteForceLinearizable } from './support/lin-brute-force.js';

type Raw = Omit<Op, 'index'>;
const inv = (process: number, f: string, value: unknown): Raw => ({ process, type: 'invoke', f, value });
const ok = (process: number, f: string, value: unknown, phase?: string): Raw => ({ process, type: 'ok', f, value, ...(phase !== undefined ? { phase } : {}) });
const fail = (process: number, f: string, value: unknown): Raw => ({ process, type: 'fail', f, value });
const info = (process: number, f: string, value: unknown): Raw => ({ process, type: 'info', f, value });
const transfer = (from: number, to: number, amount: number): unknown => ({ from, to, amount });

const OPENING = { 0: 10, 1: 10, 2: 10 };
const runs = (n: number): number => (process.env.VERDICT_CI === '1' ? n * 4 : n);

describe('bank model', () => {
  it('accepts reads that match some order of the transfers, and refuses the rest', () => {
    const good = historyFromOps([
      inv(0, 'transfer', transfer(0, 1, 3)), inv(1, 'read', null),
      ok(1, 'read', { 0: 7, 1: 13, 2: 10 }), ok(0, 'transfer', transfer(0, 1, 3)),
      inv(2, 'read', null), ok(2, 'read', { 0: 7, 1: 13, 2: 10 }),
    ]);
    expect(checkSync(createModel('bank', OPENING), good).outcome).toBe('ok');
    // After the transfer completed, a read cannot miss it.
    const stale = historyFromOps([
      inv(0, 'transfer', transfer(0, 1, 3)), ok(0, 'transfer', transfer(0, 1, 3)),
      inv(2, 'read', null), ok(2, 'read', { 0: 10, 1: 10, 2: 10 }),
    ]);
    expect(checkSync(createModel('bank', OPENING), stale).outcome).toBe('illegal');
  });

  it('drops failed transfers, lets indeterminate ones happen or not, and refuses an overdraft', () => {
    const h = historyFromOps([
      inv(0, 'transfer', transfer(0, 1, 3)), fail(0, 'transfer', transfer(0, 1, 3)),
      inv(1, 'transfer', transfer(2, 1, 4)), info(1, 'transfer', transfer(2, 1, 4)),
      inv(2, 'read', null), ok(2, 'read', { 0: 10, 1: 14, 2: 6 }),
    ]);
    expect(checkSync(createModel('bank', OPENING), h).outcome).toBe('ok');
    const overdraft = historyFromOps([inv(0, 'transfer', transfer(0, 1, 11)), ok(0, 'transfer', transfer(0, 1, 11))]);
    expect(checkSync(createModel('bank', OPENING), overdraft).outcome).toBe('illegal');
  });

  it('refuses bad init and ops that name no account', () => {
    expect(() => createModel('bank', { 0: 10 })).toThrow(/at least two/);
    expect(() => createModel('bank', { 0: -1, 1: 2 })).toThrow(/not a non-negative integer/);
    const h = historyFromOps([inv(0, 'transfer', transfer(0, 9, 1)), ok(0, 'transfer', transfer(0, 9, 1))]);
    expect(() => checkSync(createModel('bank', OPENING), h)).toThrow(/not accounts of this bank/);
  });

  it('agrees with the definition on small histories', () => {
    const planned = fc.record({
      f: fc.constantFrom('transfer', 'read'),
      from: fc.nat(2),
      hop: fc.integer({ min: 1, max: 2 }),
      amount: fc.integer({ min: 1, max: 6 }),
      call: fc.nat(16),
      duration: fc.integer({ min: 1, max: 6 }),
      end: fc.constantFrom('ok', 'ok', 'info', 'fail'),
      skew: fc.integer({ min: -3, max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(planned, { minLength: 1, maxLength: 7 }), (plans) => {
        // Reads report what a serial run in call order would show, nudged by `skew`: sometimes
        // right, sometimes not; the brute force decides which.
        const balances = [10, 10, 10];
        const events: { t: number; op: Raw }[] = [];
        [...plans].sort((a, b) => a.call - b.call).forEach((p, process) => {
          const value = p.f === 'read' ? null : transfer(p.from, (p.from + p.hop) % 3, p.amount);
          events.push({ t: 2 * p.call, op: inv(process, p.f, value) });
          let out: unknown = value;
          if (p.f === 'read') {
            out = { 0: balances[0]! + p.skew, 1: balances[1]! - p.skew, 2: balances[2] };
          } else if (p.end !== 'fail' && balances[p.from]! >= p.amount) {
            balances[p.from]! -= p.amount;
            balances[(p.from + p.hop) % 3]! += p.amount;
          }
          const end = p.f === 'read' && p.end === 'fail' ? 'ok' : p.end;
          events.push({ t: 2 * (p.call + p.duration) + 1, op: { process, type: end as 'ok', f: p.f, value: out } });
        });
        events.sort((a, b) => a.t - b.t);
        const h = historyFromOps(events.map((e) => e.op));
        const model = createModel('bank', { 0: 10, 1: 10, 2: 10 });
        expect(checkSync(model, h).outcome).toBe(bruteForceLinearizable(model, h.operations) ? 'ok' : 'illegal');
      }),
      { numRuns: runs(300) },
    );
  });
});

describe('bank invariant', () => {
  it('finds reads with a wrong total, a final total that moved, and negative balances', () => {
    const h = historyFromOps([
      inv(0, 'read', null), ok(0, 'read', { 0: 10, 1: 10, 2: 10 }),
      inv(1, 'read', null), ok(1, 'read', { 0: 7, 1: 10, 2: 10 }),
      inv(2, 'read', null), ok(2, 'read', { 0: -1, 1: 21, 2: 10 }),
      inv(3, 'read', null), ok(3, 'read', { 0: 5, 1: 10, 2: 10 }, 'final'),
    ]);
    const result = checkBankInvariant(h, OPENING);
    expect(result.status).toBe('violated');
    expect(result.counts).toEqual({ 'wrong-total': 1, 'negative-balance': 1, 'total-changed': 1 });
    expect(result.violations.find((v) => v.kind === 'total-changed')!.sentence).toMatch(/lost for good/);
    expect(result.observations).toBe(4);
  });

  it('holds when every read sums to the opening total', () => {
    const h = historyFromOps([inv(0, 'read', null), ok(0, 'read', { 0: 12, 1: 8, 2: 10 }), inv(1, 'read', null), ok(1, 'read', { 0: 10, 1: 10, 2: 10 })]);
    expect(checkBankInvariant(h, OPENING)).toMatchObject({ status: 'holds', counts: {} });
  });

  it('runs beside the model in checkHistory, and a Jepsen bank history in EDN checks', async () => {
    const edn = [
      '{:type :invoke, :f :transfer, :value {:from 0, :to 1, :amount 5}, :process 0, :index 0}',
      '{:type :invoke, :f :read, :value nil, :process 1, :index 1}',
      '{:type :ok, :f :transfer, :value {:from 0, :to 1, :amount 5}, :process 0, :index 2}',
      '{:type :ok, :f :read, :value {0 10, 1 15, 2 10}, :process 1, :index 3}',
    ].join('\n');
    const report = await checkHistory(parseHistory(edn, { format: 'edn' }), { model: 'bank', init: OPENING });
    expect(report.linearizability?.outcome).toBe('illegal');
    expect(report.invariants?.[0]).toMatchObject({ name: 'bank', status: 'violated', counts: { 'wrong-total': 1 } });
    expect(report.verdict.outcome).toBe('violated');
    expect(report.verdict.summary).toMatch(/bank invariant violated \(1 wrong-total\)/);
  });
});
