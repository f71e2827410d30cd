import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirForFile, verdict } from './support/cli.js';

const corpus = (p: string): string => new URL(`../../histories/${p}`, import.meta.url).pathname;

const tempDir = tempDirForFile('verdict-cli-');

describe('verdict check', () => {
  it('exits 0 on a linearizable Porcupine log, inferring the model', async () => {
    const r = await verdict('check', corpus('porcupine/jepsen/etcd_002.log'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('VERDICT: OK');
    expect(r.out).toContain('cas-register (etcd reading)');
  });

  it('exits 1 and prints a shrunk witness and the longest prefix when not linearizable', async () => {
    const r = await verdict('check', corpus('porcupine/kv/c50-bad.txt'));
    expect(r.code).toBe(1);
    expect(r.out).toContain('NOT linearizable');
    expect(r.out).toMatch(/Witness \(\d+ operations/);
    expect(r.out).toContain('Longest linearizable prefix');
    expect(r.out).toContain('cannot be followed by');
  });

  it('checks Knossos EDN with a named model and initial value', async () => {
    expect((await verdict('check', corpus('knossos/cas-register/bad/bad-analysis.edn'), '--model', 'cas-register', '--init', '0')).code).toBe(1);
    expect((await verdict('check', corpus('knossos/cas-register/good/cas-register-bug.edn'), '--model', 'cas-register', '--init', '0')).code).toBe(0);
  });

  it('exits 64 naming the line and the reason on malformed input, and loads nothing', async () => {
    const file = join(tempDir(), 'bad.jsonl');
    await writeFile(file, '{"process":0,"type":"invoke","f":"read","value":null}\n{"process":0,"type":"okay","f":"read","value":1}\n');
    const r = await verdict('check', file, '--model', 'register');
    expect(r.code).toBe(64);
    expect(r.err).toContain('line 2');
    expect(r.err).toContain('unknown type "okay"');
    expect(r.out).toBe('');
  });

  it('exits 64 on bad usage, naming the flag', async () => {
    expect((await verdict('check')).code).toBe(64);
    const badModel = await verdict('check', corpus('porcupine/kv/c01-ok.txt'), '--model', 'nope');
    expect(badModel.code).toBe(64);
    expect(badModel.err).toContain('--model');
    const badInit = await verdict('check', corpus('porcupine/kv/c01-ok.txt'), '--init', '{nope');
    expect(badInit.code).toBe(64);
    expect(badInit.err).toContain('--init');
    expect((await verdict('check', corpus('porcupine/kv/c01-ok.txt'), '--time-limit', '-1')).code).toBe(64);
    expect((await verdict('check', join(tempDir(), 'missing.edn'), '--model', 'register')).code).toBe(64);
  });

  it('with several files exits with the worst: bad input, then violated, then unknown', async () => {
    expect((await verdict('check', corpus('porcupine/kv/c01-ok.txt'), corpus('porcupine/kv/c01-bad.txt'))).code).toBe(1);
    expect((await verdict('check', corpus('porcupine/kv/c01-bad.txt'), join(tempDir(), 'missing.jsonl'))).code).toBe(64);
  });

  it('exits 2 when the time limit ends the search undecided', async () => {
    // 15 concurrent writes and an impossible read: far more search than a microsecond allows.
    const lines: string[] = [];
    for (let p = 0; p < 15; p++) lines.push(JSON.stringify({ process: p, type: 'invoke', f: 'write', value: p + 1 }));
    lines.push(JSON.stringify({ process: 99, type: 'invoke', f: 'read', value: null }), JSON.stringify({ process: 99, type: 'ok', f: 'read', value: 999 }));
    for (let p = 0; p < 15; p++) lines.push(JSON.stringify({ process: p, type: 'ok', f: 'write', value: p + 1 }));
    const file = join(tempDir(), 'hard.jsonl');
    await writeFile(file, `${lines.join('\n')}\n`);
    const r = await verdict('check', file, '--model', 'register', '--init', '0', '--time-limit', '0.000001');
    expect(r.code).toBe(2);
    expect(r.out).toContain('UNKNOWN');
    expect(r.out).toContain('time limit');
  });

  it('prints machine-readable JSON and writes JUnit XML and an SVG timeline', async () => {
    const junit = join(tempDir(), 'out.xml');
    const svg = join(tempDir(), 'out.svg');
    const r = await verdict('check', corpus('porcupine/kv/c10-bad.txt'), '--json', '--junit', junit, '--svg', svg);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out.trim());
    expect(report.linearizability.outcome).toBe('illegal');
    expect(report.linearizability.counterexample.witness.operations.length).toBeGreaterThan(0);
    const xml = await readFile(junit, 'utf8');
    expect(xml).toContain('<testcase classname="verdict.consistency" name="strong"');
    expect(xml).toContain('<failure');
    const image = await readFile(svg, 'utf8');
    expect(image.startsWith('<svg')).toBe(true);
    expect(image).toContain('class="ok hl"');
  });

  it('escapes history values in every rendering', async () => {
    const file = join(tempDir(), 'evil.jsonl');
    const evil = '<script>alert(1)</script>\u001b[2J';
    await writeFile(file, [
      JSON.stringify({ process: 0, type: 'invoke', f: 'write', value: ['k', evil] }),
      JSON.stringify({ process: 0, type: 'ok', f: 'write', value: ['k', evil] }),
      JSON.stringify({ process: 1, type: 'invoke', f: 'read', value: ['k', null] }),
      JSON.stringify({ process: 1, type: 'ok', f: 'read', value: ['k', 'other'] }),
    ].join('\n'));
    const svg = join(tempDir(), 'evil.svg');
    const junit = join(tempDir(), 'evil.xml');
    const r = await verdict('check', file, '--model', 'kv', '--svg', svg, '--junit', junit);
    expect(r.code).toBe(1);
    expect(r.out).not.toContain('\u001b');
    const image = await readFile(svg, 'utf8');
    expect(image).not.toContain('<script>');
    expect(image).toContain('&lt;script&gt;');
    expect(await readFile(junit, 'utf8')).not.toContain('<script>');
  });

  it('prints an input error quoting the history inertly', async () => {
    const file = join(tempDir(), 'evil-f.jsonl');
    // A completion with nothing to pair with: the checker's error message quotes its f.
    await writeFile(file, `${JSON.stringify({ type: 'ok', f: 'w\u001b]2;pwned\u0007\nrequire strong: met', value: 1 })}\n`);
    const r = await verdict('check', file, '--model', 'register');
    expect(r.code).toBe(64);
    expect(r.err).toContain('pwned');
    expect(r.err).not.toMatch(/[\u0000-\u0009\u000B-\u001F]/);
    expect(r.err).not.toMatch(/^require strong: met/m);
  });

  it('requires a level with --require', async () => {
    expect((await verdict('check', corpus('porcupine/kv/c01-ok.txt'), '--require', 'strong')).code).toBe(0);
    expect((await verdict('check', corpus('porcupine/kv/c01-bad.txt'), '--require', 'linearizable')).code).toBe(1);
    expect((await verdict('check', corpus('porcupine/kv/c01-ok.txt'), '--require', 'nonsense')).code).toBe(64);
  });

  it('checks transactional histories for isolation anomalies and gates on isolation levels', async () => {
    const file = corpus('elle/si-without-g-single.edn');
    const plain = await verdict('check', file);
    expect(plain.code).toBe(1);
    expect(plain.out).toContain('G2-item');
    expect(plain.out).not.toMatch(/- G-single:/);
    expect((await verdict('check', file, '--require', 'snapshot-isolation')).code).toBe(0);
    expect((await verdict('check', file, '--require', 'repeatable-read')).code).toBe(1);
    expect((await verdict('check', file, '--require', 'strong')).code).toBe(2);
  });

  it('judges transactions by Elle\'s --consistency-models and --anomalies, and takes per-key order assumptions', async () => {
    const file = corpus('elle/registers/stale-read-one-process.edn');
    const strict = await verdict('check', file);
    expect(strict.code).toBe(1);
    expect(strict.out).toContain('no-serial-order-process');
    expect(strict.out).toContain('exact search for serializable: an order exists');
    expect(strict.out).toContain('Models (Elle\'s lattice): strongest that hold: serializable, strong-read-committed');
    const serializable = await verdict('check', file, '--consistency-models', 'serializable,:read-atomic');
    expect(serializable.code).toBe(0);
    expect(serializable.out).toContain('VERDICT: OK');
    expect((await verdict('check', file, '--consistency-models', 'nil', '--anomalies', 'G1')).code).toBe(0);
    expect((await verdict('check', file, '--anomalies', 'G2')).code).toBe(0);
    const sequential = await verdict('check', file, '--sequential-keys', '--consistency-models', 'read-uncommitted');
    expect(sequential.code).toBe(1);
    expect(sequential.out).toContain('cyclic-versions');
    // Unknown, never a pass: snapshot isolation in real time cannot be decided on this order.
    expect((await verdict('check', file, '--consistency-models', 'strong-snapshot-isolation')).code).toBe(2);
    const bad = await verdict('check', file, '--consistency-models', 'stricct-serializable');
    expect(bad.code).toBe(64);
    expect(bad.err).toContain('--consistency-models: unknown model "stricct-serializable"');
    expect((await verdict('check', file, '--anomalies', 'G9')).code).toBe(64);
  });

  it('reads [:r :x] without a value, and names a bad micro-op instead of asking for a model', async () => {
    const dir = tempDir();
    const good = join(dir, 'bare-read.edn');
    await writeFile(good, '{:process 0 :type :invoke :f :txn :value [[:r :x]]}\n{:process 0 :type :ok :f :txn :value [[:r :x]]}\n');
    const r = await verdict('check', good);
    expect(r.code).toBe(0);
    expect(r.out).toContain('strongest level that holds: strict-serializable');
    const bad = join(dir, 'bad-mop.edn');
    await writeFile(bad, '{:process 0 :type :invoke :f :txn :value [[:incr :x 1]]}\n{:process 0 :type :ok :f :txn :value [[:incr :x 1]]}\n');
    const e = await verdict('check', bad);
    expect(e.code).toBe(64);
    expect(e.err).toContain('unknown micro-op "incr"');
    expect(e.err).not.toContain('needs a model');
  });

  it('reports every consistency level with --levels', async () => {
    const r = await verdict('check', corpus('knossos/cas-register/bad/rethink-fail-minimal.edn'), '--model', 'cas-register', '--init', '0', '--levels');
    expect(r.code).toBe(1);
    expect(r.out).toContain('Consistency levels');
    for (const level of ['strong', 'sequential', 'session', 'user', 'eventual']) expect(r.out).toContain(level);
  });
});
