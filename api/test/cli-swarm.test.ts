import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirForFile, verdict } from './support/cli.js';

const tempDir = tempDirForFile('verdict-swarm-');

describe('verdict run --swarm', () => {
  it('prints the root seed first, then the summary by protocol and by nemesis, and exits 0 without a violation', async () => {
    const r = await verdict('run', '--swarm', '--runs', '3', '--seed', '5', '--ops-max', '200', '--workers', '0');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('verdict run --swarm: root seed 5');
    expect(r.out).toMatch(/^protocol +runs +ops +violated +unknown +errors +blocked$/m);
    expect(r.out).toMatch(/^nemesis +runs +ops +violated +unknown +errors +blocked$/m);
    expect(r.out).toMatch(/^3 runs \(root seed 5, 2pc, 3pc, paxos, eventual(, \S+)*, 20\.\.200 ops, 0 workers\), \d+ operations, 0 violated, 0 unknown, 0 errors, in [\d.]+ s \(stopped by runs\)$/m);
  }, 60_000);

  it('lists what each protocol promises in --help, one column per name and description', async () => {
    const r = await verdict('run', '--swarm', '--help');
    expect(r.code).toBe(0);
    for (const name of ['2pc', 'paxos', 'zookeeper', 'zk-counter', 'zk-barrier', 'eventual']) expect(r.out).toMatch(new RegExp(`^  ${name} {2,}\\S`, 'm'));
  }, 60_000);

  it('prints a violation with its replay command, which reproduces the history byte for byte', async () => {
    const r = await verdict('run', '--swarm', '--protocol', 'paxos', '--bug', 'no-quorum-intersection', '--runs', '40', '--ops-max', '600', '--seed', '1', '--workers', '0', '--stop-on-violation');
    expect(r.code).toBe(1);
    const found = /^VIOLATION in run \d+ \(paxos\/no-quorum-intersection × \S+, \d+ ops\): strong violated.*\n {2}replay: verdict run (.*)\n {2}history sha256 ([0-9a-f]{64})$/m.exec(r.out);
    expect(found, r.out).not.toBeNull();
    const out = join(tempDir(), 'replay.jsonl');
    const replay = await verdict('run', ...found![1]!.split(' '), '--out', out);
    expect(replay.code).toBe(1);
    expect(createHash('sha256').update(await readFile(out)).digest('hex')).toBe(found![2]);
  }, 120_000);

  it('runs on worker threads from the compiled command, the same runs as in one thread', async () => {
    const threaded = await verdict('run', '--swarm', '--runs', '4', '--seed', '11', '--ops-max', '200', '--workers', '2', '--json');
    const inline = await verdict('run', '--swarm', '--runs', '4', '--seed', '11', '--ops-max', '200', '--workers', '0', '--json');
    expect(threaded.code, threaded.err).toBe(0);
    expect(inline.code, inline.err).toBe(0);
    const summary = (r: { out: string }): unknown => (JSON.parse(r.out) as { summary: unknown }).summary;
    expect(summary(threaded)).toEqual(summary(inline));
  }, 60_000);

  it('prints JSON with --json: the failures, the summary and the root seed, the seed line on stderr', async () => {
    const r = await verdict('run', '--swarm', '--runs', '2', '--seed', '8', '--ops-max', '100', '--workers', '0', '--json');
    expect(r.err).toContain('root seed 8');
    const result = JSON.parse(r.out) as { seed: number; failures: unknown[]; summary: { total: { runs: number } }; outcomes?: unknown };
    expect(result).toMatchObject({ seed: 8, failures: [], summary: { total: { runs: 2 } } });
    expect(result.outcomes).toBeUndefined();
  }, 60_000);

  it.each([
    [['--bug', 'no-quorum-intersection'], /--bug needs exactly one --protocol/],
    [['--protocol', 'raft', '--runs', '1'], /invalid swarm options: unknown protocol "raft"/],
    [['--runs', '0'], /--runs: expected an integer ≥ 1, got "0"/],
    [['--nemesis', 'none'], /Unknown option '--nemesis'/],
  ])('refuses %j with exit 64', async (args, message) => {
    const r = await verdict('run', '--swarm', ...args);
    expect(r.code).toBe(64);
    expect(r.err).toMatch(message);
  });

  it('takes --loss, --duplicate and --clock-drift-ppm for single runs, and replays with them', async () => {
    const r = await verdict('run', '--protocol', 'paxos', '--nemesis', 'clock-skew', '--seed', '3', '--ops', '200', '--loss', '0.05', '--duplicate', '0.02', '--clock-drift-ppm', '250000');
    expect(r.code).toBe(0);
    expect(r.out).toContain('reproduce: verdict run --protocol paxos --nemesis clock-skew --seed 3 --ops 200 --loss 0.05 --duplicate 0.02 --clock-drift-ppm 250000\n');
    const bad = await verdict('run', '--protocol', 'paxos', '--loss', '1.5');
    expect(bad.code).toBe(64);
    expect(bad.err).toContain('--loss: expected a probability between 0 and 1, got "1.5"');
  }, 60_000);
});
