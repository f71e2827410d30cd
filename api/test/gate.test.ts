import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateCommand } from '../src/cli/gate-command.js';
import type { CliIo } from '../src/cli/command.js';
import { freePort, REPO } from './support/processes.js';
import { requireService } from './support/services.js';
import { testApp, type TestApp } from './support/test-app.js';

const pgUp = await requireService('postgres');

interface Ran { code: number; out: string; err: string }

describe.runIf(pgUp)('verdict gate against a running service', () => {
  let t: TestApp;
  let server: string;
  let token: string;
  let dir: string;
  beforeAll(async () => {
    t = await testApp('gate');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    server = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    token = (await t.token(['submit'])).replace('Bearer ', '');
    dir = await mkdtemp(join(tmpdir(), 'verdict-gate-'));
  });
  afterAll(async () => {
    await t?.close();
  });

  const gate = async (...args: string[]): Promise<Ran> => {
    let out = '';
    let err = '';
    const io: CliIo = { out: (s) => { out += s; }, err: (s) => { err += s; }, interactive: false };
    const code = await gateCommand.run(args, io);
    return { code, out, err };
  };
  const history = (path: string): string => join(REPO, 'histories', path);

  it('exits 0 when the requirement holds, with the report printed and a JUnit case per level', async () => {
    const junit = join(dir, 'good.xml');
    const ran = await gate('--server', server, '--token', token, '--history', history('knossos/cas-register/good/memstress3-1.edn'), '--model', 'cas-register', '--init', '0', '--require', 'strong', '--junit', junit);
    expect(ran.code, ran.err).toBe(0);
    expect(ran.out).toContain('require strong: met');
    expect(ran.err).toMatch(/job [0-9a-f-]{36} submitted/);
    const xml = await readFile(junit, 'utf8');
    expect(xml).toMatch(/<testsuites name="verdict" tests="\d+" failures="0" errors="0"/);
    expect(xml).toContain('<testcase classname="verdict.requirement" name="require strong" time="0"></testcase>');
  });

  it('exits 1 when the required level is violated, and the JUnit XML says which', async () => {
    const junit = join(dir, 'bad.xml');
    const ran = await gate('--server', server, '--token', token, '--history', history('knossos/cas-register/bad/cas-failure.edn'), '--model', 'cas-register', '--init', '0', '--require', 'linearizable', '--junit', junit);
    expect(ran.code, ran.err).toBe(1);
    expect(ran.out).toContain('require linearizable: NOT met');
    expect(await readFile(junit, 'utf8')).toMatch(/name="require linearizable"[^>]*>\s*<failure/);
  });

  it('exits 2 when the level cannot be decided for the history', async () => {
    const ran = await gate('--server', server, '--token', token, '--history', history('porcupine/kv/c01-ok.txt'), '--require', 'serializable');
    expect(ran.code, ran.out + ran.err).toBe(2);
    expect(ran.out).toContain('require serializable: unknown');
  });

  it('gates a protocol run', async () => {
    const ran = await gate('--server', server, '--token', token, '--protocol', 'paxos', '--seed', '3', '--ops', '100', '--require', 'strong');
    expect(ran.code, ran.err).toBe(0);
    expect(ran.out).toContain('require strong: met');
  });

  it('gates an eventual store in the shape its flags give', async () => {
    const ran = await gate('--server', server, '--token', token, '--protocol', 'eventual', '--nemesis', 'partition-halves', '--seed', '1', '--ops', '300', '--resolve', 'siblings', '--routing', 'sticky', '--require', 'session');
    expect(ran.code, ran.err).toBe(0);
    expect(ran.out).toContain('require session: met');
    const roaming = await gate('--server', server, '--token', token, '--protocol', 'eventual', '--nemesis', 'partition-halves', '--seed', '1', '--quorum', 'sloppy', '--require', 'session');
    expect(roaming.code, roaming.err).toBe(1);
    expect((await gate('--server', server, '--token', token, '--protocol', 'eventual', '--quorum', 'loose', '--require', 'session')).code).toBe(64);
  });

  it('exits 64 on bad usage, a bad token or input the service refuses; 2 when the service is unreachable', async () => {
    const base = ['--server', server, '--token', token];
    expect((await gate(...base, '--history', 'x.edn')).code).toBe(64);
    expect((await gate(...base, '--history', 'x.edn', '--protocol', 'paxos', '--require', 'strong')).code).toBe(64);
    expect((await gate(...base, '--protocol', 'paxos', '--require', 'very-strong')).code).toBe(64);
    expect((await gate(...base, '--protocol', 'paxos', '--model', 'kv', '--require', 'strong')).code).toBe(64);
    expect((await gate(...base, '--history', 'x.edn', '--require', 'strong', '--init', '{oops')).code).toBe(64);
    const badToken = await gate('--server', server, '--token', 'vrd_nope', '--protocol', 'paxos', '--require', 'strong');
    expect(badToken.code).toBe(64);
    expect(badToken.err).toContain('VRD_ERR_API_AUTH_INVALID');
    const refused = await gate(...base, '--protocol', 'raft', '--require', 'strong');
    expect(refused.code).toBe(64);
    expect(refused.err).toContain('VRD_ERR_RUN_PROTOCOL');
    const junit = join(dir, 'unreachable.xml');
    const down = await gate('--server', `http://127.0.0.1:${await freePort()}`, '--token', token, '--protocol', 'paxos', '--require', 'strong', '--junit', junit);
    expect(down.code).toBe(2);
    expect(await readFile(junit, 'utf8')).toMatch(/<error message="cannot reach/);
  });

  it('exits 64 with one line for a missing or directory --history and an unknown --model', async () => {
    const base = ['--server', server, '--token', token, '--require', 'strong'];
    const cases: [string[], RegExp][] = [
      [['--history', join(dir, 'missing.edn')], /^verdict gate: --history ".*missing\.edn": no such file$/],
      [['--history', dir], /^verdict gate: --history ".*": not a file$/],
      [['--history', history('porcupine/kv/c01-ok.txt'), '--model', 'nope'], /^verdict gate: --model: unknown model "nope" \(known: register,.*\)$/],
      [['--history', history('porcupine/kv/c01-ok.txt'), '--format', 'xml'], /^verdict gate: --format: unknown format "xml"/],
    ];
    for (const [args, line] of cases) {
      const ran = await gate(...base, ...args);
      expect(ran.code, ran.err).toBe(64);
      expect(ran.err.trimEnd().split('\n')).toHaveLength(1);
      expect(ran.err.trimEnd()).toMatch(line);
    }
  });

  it('gates a protocol run under one of its scenarios', async () => {
    const ran = await gate('--server', server, '--token', token, '--protocol', 'paxos', '--scenario', 'leader-dies-after-choosing', '--seed', '1', '--ops', '100', '--require', 'strong');
    expect(ran.code, ran.err).toBe(0);
    expect(ran.out).toContain('require strong: met');
    const unknown = await gate('--server', server, '--token', token, '--protocol', 'paxos', '--scenario', 'nope', '--require', 'strong');
    expect(unknown.code).toBe(64);
    expect(unknown.err).toMatch(/scenario/);
    expect((await gate('--server', server, '--token', token, '--history', history('porcupine/kv/c01-ok.txt'), '--scenario', 'x', '--require', 'strong')).code).toBe(64);
  });

  it('prints what the service says about a refused history inertly', async () => {
    const file = join(dir, 'evil-f.jsonl');
    await writeFile(file, `${JSON.stringify({ type: 'ok', f: 'w\u001b]2;pwned\u0007\nrequire strong: met', value: 1 })}\n`);
    const ran = await gate('--server', server, '--token', token, '--history', file, '--model', 'register', '--require', 'strong');
    expect(ran.code).toBe(64);
    expect(ran.err).toContain('pwned');
    expect(ran.err).not.toMatch(/[\u0000-\u0009\u000B-\u001F]/);
    expect(ran.err).not.toMatch(/^require strong: met/m);
  });

  it('exits 2 on --timeout, cancels the job it gave up on, and writes an error case', async () => {
    await t.dispatch.close(); // nothing runs jobs any more: they stay queued
    const junit = join(dir, 'timeout.xml');
    const ran = await gate('--server', server, '--token', token, '--protocol', 'paxos', '--seed', '1', '--require', 'strong', '--timeout', '1', '--junit', junit);
    expect(ran.code).toBe(2);
    expect(ran.err).toMatch(/timed out after 1 s waiting for job ([0-9a-f-]{36})/);
    const id = /waiting for job ([0-9a-f-]{36})/.exec(ran.err)![1]!;
    expect((await t.db.prisma.job.findUniqueOrThrow({ where: { id } })).status).toBe('cancelled');
    expect(await readFile(junit, 'utf8')).toMatch(/errors="1"[\s\S]*<error message="timed out/);
  });
});
