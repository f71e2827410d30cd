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
    [['--matrix', '--protocol', 'paxos'], /--protocol does not apply to --matrix/],
    [['--protocol', 'paxos', '--frobnicate'], /Unknown option '--frobnicate'/],
  ])('exits 64 on %j, naming the flag', async (args, message) => {
    const r = await verdict('run', ...args);
    expect(r.code).toBe(64);
    expect(r.err).toMatch(message);
  });
});
