import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirForFile, verdict } from './support/cli.js';

const tempDir = tempDirForFile('verdict-run-');

describe('verdict run', () => {
  it('prints the seed first, the full report and the command to reproduce, and writes the history', async () => {
    const out = join(tempDir(), 'h.jsonl');
    const r = await verdict('run', '--protocol', 'paxos', '--nemesis', 'partition-halves', '--seed', '7', '--ops', '300', '--out', out, '--require', 'linearizable');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('verdict run: seed 7');
    expect(r.out).toContain('reproduce: verdict run --protocol paxos --nemesis partition-halves --seed 7 --ops 300');
    expect(r.out).toContain('Consistency levels');
    expect(r.out).toMatch(/side n\d( n\d)*: (available|UNAVAILABLE|too short to tell)/);
    expect(r.out).toMatch(/require linearizable: met/);
    const lines = (await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { process: unknown; f: string });
    expect(lines.some((o) => o.process === 'nemesis' && o.f === 'start-partition')).toBe(true);
  });

  it('prints JSON with --json, the seed on stderr', async () => {
    const r = await verdict('run', '--protocol', '2pc', '--seed', '3', '--ops', '100', '--json');
    expect(r.err).toContain('seed 3');
    const result = JSON.parse(r.out) as { facts: { seed: number }; report: { kind: string } };
    expect(result.facts.seed).toBe(3);
    expect(result.report.kind).toBe('transactional');
  });

  it('runs under a protocol scenario with --scenario, and replays with it', async () => {
    const r = await verdict('run', '--protocol', '3pc', '--nemesis', 'partition-halves', '--seed', '1', '--ops', '300', '--scenario', 'partition-after-precommit');
    expect(r.code).toBe(1);
    expect(r.out).toContain('scenario partition-after-precommit: faults on mark pre-commit-sent>pre-committed');
    expect(r.out).toMatch(/RUN: VIOLATED: .*non-atomic-commit/);
    expect(r.out).toContain('reproduce: verdict run --protocol 3pc --nemesis partition-halves --seed 1 --ops 300 --scenario partition-after-precommit');
  });

  it('runs the eventual store in the shape its flags give, and replays with them', async () => {
    const r = await verdict('run', '--protocol', 'eventual', '--nemesis', 'clock-skew', '--seed', '1', '--ops', '600', '--resolve', 'siblings', '--routing', 'sticky', '--require', 'session');
    expect(r.code).toBe(0);
    expect(r.out).toContain('reproduce: verdict run --protocol eventual --nemesis clock-skew --seed 1 --ops 600 --resolve siblings --routing sticky');
    expect(r.out).toContain('replication: N=3 R=1 W=1, siblings, sloppy quorum; clients sticky; clocks start in step');
    expect(r.out).toMatch(/require session: met/);
  });

  it('prints the matrix of one protocol with --matrix --protocol, and the replication sweep of a store that has one', async () => {
    const r = await verdict('run', '--matrix', '--protocol', 'eventual', '--ops', '150', '--json');
    expect(r.code).toBe(0);
    const m = JSON.parse(r.out) as { variants: { protocol: string }[]; sweeps: { protocol: string; rows: { label: string; cells: { nemesis: string }[] }[] }[] };
    expect(new Set(m.variants.map((v) => v.protocol))).toEqual(new Set(['eventual']));
    expect(m.sweeps).toHaveLength(1);
    expect(m.sweeps[0]!.rows.map((row) => row.label)).toContain('N3 R2 W2 strict lww roaming');
    expect(m.sweeps[0]!.rows[0]!.cells.map((c) => c.nemesis)).toEqual(['none', 'partition-halves', 'crash-minority', 'clock-skew', 'mixed']);
  }, 120_000);

  it.each([
    [['--protocol', 'raft'], /--protocol: unknown protocol: "raft" \(known: .*paxos/],
    [['--protocol', '3pc', '--scenario', 'nope'], /--scenario: invalid run spec: scenario "nope" for 3pc \(known: partition-after-precommit, coordinator-dies-after-precommit\)/],
    [['--protocol', '3pc', '--no-scenarios'], /--no-scenarios applies only to --matrix/],
    [['--matrix', '--scenario', 'lease-hazard'], /--scenario does not apply to --matrix/],
    [['--protocol', 'paxos', '--nemesis', 'meteor'], /--nemesis: unknown nemesis: "meteor"/],
    [['--protocol', 'paxos', '--bug', 'nope'], /--bug: unknown bug for this protocol: "nope" for paxos/],
    [['--protocol', 'paxos', '--ops', 'many'], /--ops: expected an integer ≥ 1, got "many"/],
    [['--protocol', 'paxos', '--nodes', '99'], /--nodes: invalid run spec: nodes must be between 1 and 15/],
    [['--protocol', 'paxos', '--require', 'acid'], /--require: unknown level "acid"/],
    [['--nemesis', 'none'], /--protocol is required/],
    [['--matrix', '--protocol', 'raft'], /--protocol: unknown protocol "raft"/],
    [['--matrix', '--resolve', 'lww'], /--resolve does not apply to --matrix/],
    [['--protocol', 'eventual', '--resolve', 'majority'], /--resolve: expected lww or siblings, got "majority"/],
    [['--protocol', 'eventual', '--quorum', 'loose'], /--quorum: expected sloppy or strict, got "loose"/],
    [['--protocol', 'eventual', '--r', '4'], /--r: invalid run spec: r must be an integer between 1 and n \(3\), got 4/],
    [['--protocol', 'eventual', '--n', '6'], /--n: invalid run spec: n must be an integer between 1 and the cluster's 5 nodes, got 6/],
    [['--protocol', 'paxos', '--n', '3'], /--n: invalid run spec: n applies only to protocols with tunable replication \(paxos has none\)/],
    [['--protocol', 'paxos', '--routing', 'anywhere'], /--routing: expected sticky or roaming, got "anywhere"/],
    [['--protocol', 'paxos', '--frobnicate'], /Unknown option '--frobnicate'/],
  ])('exits 64 on %j, naming the flag', async (args, message) => {
    const r = await verdict('run', ...args);
    expect(r.code).toBe(64);
    expect(r.err).toMatch(message);
  });
});
