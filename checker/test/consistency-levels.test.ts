import { describe, expect, it } from 'vitest';
import { checkLevels, checkLevelsSync, createModel, historyFromOps, type LevelResult, type LevelsResult } from '../src/index.js';
import { inv, info, kvRead, kvWrite, ok, read, write, type Raw } from './support/consistency-ops.js';

const register = () => createModel('cas-register', 0);
const kv = () => createModel('kv', null);
const final = (process: number, node: string, v: unknown): Raw[] => read(process, v, { phase: 'final', node });
const kvFinal = (process: number, node: string, k: string, v: unknown): Raw[] => kvRead(process, k, v, { phase: 'final', node });
const level = (r: LevelsResult, l: string): LevelResult => r.levels.find((x) => x.level === l)!;
const statuses = (r: LevelsResult) => Object.fromEntries(r.levels.map((l) => [l.level, l.status]));

describe('the consistency lattice', () => {
  it('a linearizable history is strong, and sequential is implied, not searched', () => {
    const r = checkLevelsSync(historyFromOps([...write(0, 1, { user: 'u' }), ...read(1, 1, { user: 'u' }), ...final(5, 'n1', 1), ...final(6, 'n2', 1)]), register());
    expect(statuses(r)).toEqual({ strong: 'holds', sequential: 'holds', session: 'holds', user: 'holds', eventual: 'holds' });
    expect(level(r, 'sequential').details).toMatchObject({ impliedBy: 'strong' });
    expect(r.strongest).toBe('strong');
    expect(r.linearizability?.outcome).toBe('ok');
    expect(r.notes).toBeUndefined();
  });

  it('a stale read by another process is sequential but not linearizable', () => {
    const r = checkLevelsSync(historyFromOps([...write(0, 1), ...read(1, 0), ...final(5, 'n1', 1)]), register());
    expect(statuses(r)).toMatchObject({ strong: 'violated', sequential: 'holds', session: 'holds', eventual: 'holds' });
    expect(r.strongest).toBe('sequential');
    expect(level(r, 'strong').violations![0]!.kind).toBe('linearizability');
    expect(level(r, 'strong').violations![0]!.operations.map((o) => o.description)).toEqual(['write 1', 'read 0']);
    expect(r.linearizability?.counterexample).toBeDefined();
  });

  it('Dekker\'s pattern is session-consistent but not sequential', () => {
    const ops = [...kvWrite(0, 'x', 1), ...kvWrite(1, 'y', 1), ...kvRead(0, 'y', null), ...kvRead(1, 'x', null), ...kvFinal(5, 'n1', 'x', 1), ...kvFinal(6, 'n1', 'y', 1)];
    const r = checkLevelsSync(historyFromOps(ops), kv());
    expect(statuses(r)).toMatchObject({ strong: 'violated', sequential: 'violated', session: 'holds', eventual: 'holds' });
    expect(r.strongest).toBe('session');
    const v = level(r, 'sequential').violations![0]!;
    expect(v.kind).toBe('sequential');
    expect(v.sentence).toMatch(/^not sequentially consistent: after the 3 operation\(s\)/);
  });

  it('reads that go back but converge are only eventual', () => {
    const ops = [...write(0, 1, { session: 'w' }), ...write(0, 2, { session: 'w' }), ...read(1, 2, { session: 'r' }), ...read(1, 1, { session: 'r' }), ...final(5, 'n1', 2), ...final(6, 'n2', 2)];
    const r = checkLevelsSync(historyFromOps(ops), register());
    expect(statuses(r)).toMatchObject({ strong: 'violated', sequential: 'violated', session: 'violated', eventual: 'holds' });
    expect(r.strongest).toBe('eventual');
    expect(level(r, 'session').violations!.map((v) => v.kind)).toEqual(['monotonic-reads', 'monotonic-writes']);
  });

  it('is none when replicas never agree', () => {
    const ops = [...write(0, 1), ...write(0, 2), ...read(1, 2), ...read(1, 1), ...final(5, 'n1', 1), ...final(6, 'n2', 2)];
    const r = checkLevelsSync(historyFromOps(ops), register());
    expect(level(r, 'eventual').status).toBe('violated');
    expect(r.strongest).toBe('none');
  });

  it('without final reads, eventual is not applicable and the strongest level says what was checked', () => {
    const r = checkLevelsSync(historyFromOps([...write(0, 1), ...read(1, 0)]), register());
    expect(level(r, 'eventual')).toMatchObject({ status: 'not-applicable' });
    expect(level(r, 'eventual').cause).toMatch(/no final reads/);
    expect(r.strongest).toBe('sequential');
    expect(r.notes).toEqual(['eventual cannot be judged on this history: sequential is named for what was checked']);
  });

  it('does not name a level whose implied level is violated', () => {
    // Sequential holds (each process alone is fine) but the final reads disagree.
    const r = checkLevelsSync(historyFromOps([...write(0, 1), ...final(5, 'n1', 1), ...final(6, 'n2', 0)]), register());
    expect(statuses(r)).toMatchObject({ sequential: 'holds', eventual: 'violated' });
    expect(r.strongest).toBe('none');
    expect(r.notes?.[0]).toBe('sequential holds on its own, but eventual, which it implies, is violated');
  });

  it('per user sits beside session: sequential does not imply it', () => {
    const ops = [...write(0, 5, { session: 'laptop', user: 'ann' }), ...read(1, 0, { session: 'phone', user: 'ann' }), ...final(5, 'n1', 5)];
    const r = checkLevelsSync(historyFromOps(ops), register());
    expect(statuses(r)).toMatchObject({ strong: 'violated', sequential: 'holds', session: 'holds', user: 'violated', eventual: 'holds' });
    expect(r.strongest).toBe('sequential');
  });

  it('names user when it holds and session does not', () => {
    // Two sessions of one user each read the other's write late; as one user in real time, fine.
    const ops = [
      ...write(0, 1, { session: 'a', user: 'ann' }), ...write(0, 2, { session: 'a', user: 'ann' }),
      ...read(1, 2, { session: 'b', user: 'bob' }), ...read(2, 1, { session: 'b', user: 'carl' }),
      ...final(5, 'n1', 2),
    ];
    const r = checkLevelsSync(historyFromOps(ops), register());
    expect(statuses(r)).toMatchObject({ session: 'violated', user: 'holds', eventual: 'holds' });
    expect(r.strongest).toBe('user');
  });

  it('unknown never reads as a pass: a sequential search cut short is not sequential', () => {
    // Twelve processes write three values each, then a read nobody explains: real time decides
    // linearizability at once; sequential consistency must try the orders, and runs out of time.
    const ops: Raw[] = [];
    for (let p = 0; p < 12; p++) for (let k = 0; k < 3; k++) ops.push(...write(p, p * 10 + k + 1));
    ops.push(...read(100, 999));
    const r = checkLevelsSync(historyFromOps(ops), register(), { timeLimitMs: 30 });
    expect(level(r, 'strong').status).toBe('violated');
    expect(level(r, 'sequential').status).toBe('unknown');
    expect(level(r, 'sequential').cause).toMatch(/time limit/);
    expect(r.strongest).not.toBe('sequential');
  });

  it('a model the session checks cannot read leaves them not applicable, unless implied', () => {
    const queue = createModel('fifo-queue');
    const ops = [inv(0, 'enqueue', 1), ok(0, 'enqueue', 1), inv(1, 'dequeue', null), ok(1, 'dequeue', 1)];
    const r = checkLevelsSync(historyFromOps(ops), queue);
    expect(statuses(r)).toEqual({ strong: 'holds', sequential: 'holds', session: 'holds', user: 'holds', eventual: 'not-applicable' });
    expect(level(r, 'session').details).toMatchObject({ impliedBy: 'strong' });
    expect(r.strongest).toBe('strong');
  });

  it('checks only the levels asked for', () => {
    const r = checkLevelsSync(historyFromOps([...write(0, 1), ...read(1, 0)]), register(), { levels: ['session', 'eventual'] });
    expect(level(r, 'strong').cause).toMatch(/not checked/);
    expect(level(r, 'session').status).toBe('holds');
    expect(r.linearizability).toBeUndefined();
    expect(r.strongest).toBe('session');
    expect(() => checkLevelsSync(historyFromOps([...write(0, 1)]), register(), { levels: ['causal' as never] })).toThrow(/unknown level/);
  });

  it('runs asynchronously with the same answer', async () => {
    const h = historyFromOps([...write(0, 1), inv(2, 'write', 3), info(2, 'write', 3), ...read(1, 0), ...final(5, 'n1', 1)]);
    const [a, b] = [await checkLevels(h, register()), checkLevelsSync(h, register())];
    expect(statuses(a)).toEqual(statuses(b));
    expect(a.strongest).toBe(b.strongest);
  });
});

describe('a level this history cannot show', () => {
  it('leaves a linearizable history\'s verdict ok (c50-ok: append-style kv, eventual not applicable)', async () => {
    const { readHistoryFile, checkHistory } = await import('../src/index.js');
    const history = await readHistoryFile(new URL('../../histories/porcupine/kv/c50-ok.txt', import.meta.url).pathname);
    const report = await checkHistory(history, { levels: true });
    expect(report.consistency!.levels.find((l) => l.level === 'eventual')).toMatchObject({ status: 'not-applicable', cause: expect.stringMatching(/append/) });
    expect(report.verdict).toMatchObject({ outcome: 'ok', consistency: 'strong' });
  });
});
