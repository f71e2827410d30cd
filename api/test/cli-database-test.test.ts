import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirForFile, verdict } from './support/cli.js';
import { MARIADB_URL, POSTGRES_ADMIN_URL, requireService } from './support/services.js';

const tempDir = tempDirForFile('verdict-test-');
const postgres = await requireService('postgres');
const mariadb = await requireService('mariadb');

describe('verdict test: usage', () => {
  it.each([
    [[], /--target is required/],
    [['--target', 'postgres://127.0.0.1/x', '--isolation', 'serializable'], /--workload is required/],
    [['--target', 'postgres://127.0.0.1/x', '--workload', 'bank'], /--isolation is required/],
    [['--target', 'redis://127.0.0.1', '--workload', 'bank', '--isolation', 'serializable'], /invalid database target: "redis:" is not a database this tests/],
    [['--target', 'postgres://127.0.0.1/x', '--workload', 'queue', '--isolation', 'serializable'], /workload must be one of list-append, rw-register, bank, predicate, got "queue"/],
    [['--target', 'postgres://127.0.0.1/x', '--workload', 'bank', '--isolation', 'snapshot'], /isolation must be one of read-uncommitted, read-committed, repeatable-read, serializable/],
    [['--target', 'postgres://127.0.0.1/x', '--workload', 'bank', '--isolation', 'serializable', '--clients', '0'], /clients must be an integer in \[1, 64\]/],
    [['--target', 'postgres://127.0.0.1/x', '--workload', 'bank', '--isolation', 'serializable', '--abort-rate', '2'], /--abort-rate: expected a number in \[0, 0.5\]/],
    [['--matrix', '--target', 'postgres://127.0.0.1/x', '--workload', 'bank'], /--workload does not apply to --matrix/],
  ])('%j is bad usage: exit 64 with the reason', async (args, message) => {
    const r = await verdict('test', ...args);
    expect(r.code).toBe(64);
    expect(r.err).toMatch(message);
  });

  it('an unreachable target exits 69 naming it, without its password', async () => {
    const r = await verdict('test', '--target', 'postgres://me:secret@127.0.0.1:1/x', '--workload', 'bank', '--isolation', 'serializable');
    expect(r.code).toBe(69);
    expect(r.err).toMatch(/cannot reach the database target: postgres:\/\/me:\*\*\*@127\.0\.0\.1:1\/x/);
    expect(r.err).not.toContain('secret');
  });
});

describe.skipIf(!postgres)('verdict test against Postgres', () => {
  it('prints the report and the facts, writes the history, and gates on --require', async () => {
    const out = join(tempDir(), 'h.jsonl');
    const r = await verdict('test', '--target', POSTGRES_ADMIN_URL, '--workload', 'list-append', '--isolation', 'serializable', '--ops', '150', '--clients', '4', '--out', out, '--require', 'serializable');
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).toContain('Isolation (');
    expect(r.out).toMatch(/isolation: serializable \(the server reports serializable\)/);
    expect(r.out).toMatch(/again: verdict test --target postgres(ql)?:\/\/postgres@127\.0\.0\.1:5432\/postgres --workload list-append --isolation serializable --clients 4 --ops 150/);
    expect(r.out).toMatch(/require serializable: met/);
    const ops = (await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { type: string; f: string });
    expect(ops.filter((o) => o.type === 'invoke').length).toBeGreaterThanOrEqual(150);
  });

  it('--json gives the report and facts; --require names a level the run broke: exit 1', async () => {
    const r = await verdict('test', '--target', POSTGRES_ADMIN_URL, '--workload', 'bank', '--isolation', 'read-committed', '--ops', '300', '--clients', '6', '--json', '--require', 'linearizable');
    const result = JSON.parse(r.out) as { facts: { workload: string; ok: number }; report: { invariants: { status: string }[] }; requirement: { result: string } };
    expect(result.facts.workload).toBe('bank');
    expect(result.requirement.result).toBe(r.code === 0 ? 'yes' : 'no');
    expect(r.code).toBe(1);
  });
});

describe.skipIf(!mariadb)('verdict test --matrix against MariaDB', () => {
  it("prints the seed's table: one row per level, the phenomena as columns", async () => {
    const r = await verdict('test', '--matrix', '--target', MARIADB_URL, '--ops', '150', '--clients', '4');
    expect(r.code, r.err).toBe(0);
    for (const level of ['read-uncommitted', 'read-committed', 'repeatable-read', 'serializable']) expect(r.out).toMatch(new RegExp(`^\\| ${level} `, 'm'));
    expect(r.out).toMatch(/\| isolation +\| dirty read \| non-repeatable read \| phantom \| lost update \| write skew \|/);
    expect(r.out).toMatch(/^\| serializable +\| ✓ +\| ✓ +\| ✓ +\| ✓ +\| ✓ +\|/m);
  });
});
