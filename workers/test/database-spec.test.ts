import { describe, expect, it } from 'vitest';
import { parseTarget, redact, resolveDbTestSpec, dbTestCommand } from '../src/index.js';
import { classifyError } from '../src/databases/sql-errors.js';

describe('database targets', () => {
  it.each([
    ['postgres://u:p@h:5432/db', 'postgres'],
    ['postgresql://h/db', 'postgres'],
    ['mysql://root@127.0.0.1:3306/test', 'mysql'],
    ['mariadb://root@h/test', 'mysql'],
  ])('%s is a %s target', (url, dialect) => {
    expect(parseTarget(url).dialect).toBe(dialect);
  });

  it('never shows a password', () => {
    expect(parseTarget('postgres://me:s3cret@h:1/db').display).toBe('postgres://me:***@h:1/db');
    expect(redact('mysql://root:pw@h/x')).not.toContain('pw');
  });

  it.each([
    [undefined, /must be a connection string/],
    ['', /must be a connection string/],
    ['not a url', /is not a URL/],
    ['redis://h', /"redis:" is not a database this tests/],
    ['postgres:///db', /names no host/],
  ])('refuses %j', (text, message) => {
    expect(() => parseTarget(text)).toThrow(message);
  });
});

describe('database test specs', () => {
  const base = { target: 'postgres://h/db', workload: 'bank', isolation: 'serializable' };

  it('fills defaults and names the command that runs the same operations again', () => {
    const spec = resolveDbTestSpec(base);
    expect(spec).toMatchObject({ clients: 8, ops: 2_000, keys: 5, seed: 1, abortRate: 0.05, killEveryMs: 0 });
    expect(dbTestCommand(spec)).toBe('verdict test --target postgres://h/db --workload bank --isolation serializable --clients 8 --ops 2000 --keys 5 --seed 1');
  });

  it.each([
    [{ ...base, workloads: 'bank' }, /workloads is not a field of a database test/],
    [{ ...base, workload: 'queue' }, /workload must be one of list-append, rw-register, bank, predicate/],
    [{ ...base, isolation: 'snapshot-isolation' }, /isolation must be one of/],
    [{ ...base, clients: 100 }, /clients must be an integer in \[1, 64\]/],
    [{ ...base, ops: 1.5 }, /ops must be an integer/],
    [{ ...base, abortRate: 0.9 }, /abortRate must be a number in \[0, 0.5\]/],
    [[], /spec must be an object/],
  ])('refuses %j naming the field', (spec, message) => {
    expect(() => resolveDbTestSpec(spec)).toThrow(message);
  });

  it('takes null as absent', () => {
    expect(resolveDbTestSpec({ ...base, clients: null, seed: null })).toMatchObject({ clients: 8, seed: 1 });
  });
});

describe('driver errors', () => {
  it.each([
    ['postgres', { code: '40001' }, 'refused', 'serialization-failure'],
    ['postgres', { code: '40P01' }, 'refused', 'deadlock'],
    ['postgres', { code: '57014' }, 'refused', 'statement-timeout'],
    ['postgres', { code: '57P01' }, 'broken', 'connection-terminated'],
    ['postgres', { message: 'Connection terminated unexpectedly' }, 'broken', 'connection-lost'],
    ['postgres', { code: 'ECONNRESET' }, 'broken', 'connection-lost'],
    ['postgres', { code: '42P01', message: 'relation "x" does not exist' }, 'bug', 'relation "x" does not exist'],
    ['mysql', { errno: 1213 }, 'refused', 'deadlock'],
    ['mysql', { errno: 1205 }, 'refused', 'lock-wait-timeout'],
    ['mysql', { errno: 1927 }, 'broken', 'connection-killed'],
    ['mysql', { code: 'PROTOCOL_CONNECTION_LOST', fatal: true }, 'broken', 'connection-lost'],
    ['mysql', { errno: 1146, message: "Table 'x' doesn't exist" }, 'bug', "Table 'x' doesn't exist"],
  ] as const)('%s %j is %s (%s)', (dialect, e, kind, reason) => {
    expect(classifyError(dialect, e)).toEqual({ kind, reason });
  });
});

describe('numbers from the drivers', () => {
  it('stay exact beyond 2^53, as the checker compares them', async () => {
    const { numberOf } = await import('../src/databases/workloads/sql-workload.js');
    expect(numberOf('9007199254740993')).toBe(9007199254740993n);
    expect(numberOf('-9223372036854775808')).toBe(-9223372036854775808n);
    expect(numberOf('42')).toBe(42);
    expect(numberOf(7n)).toBe(7);
    expect(numberOf(null)).toBeNull();
  });
});
