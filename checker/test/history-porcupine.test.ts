import { describe, expect, it } from 'vitest';
import { checkHistory, parseHistory, type History, type VerdictError } from '../src/index.js';

const line = (process: string | number, type: string, f: string, value: string) => `INFO  jepsen.util - ${process}\t:${type}\t:${f}\t${value}`;
const etcd = (text: string): History => parseHistory(text, { format: 'porcupine-etcd', source: 'etcd.log' });

function parseFailure(text: string, format: 'porcupine-etcd' | 'porcupine-kv'): VerdictError {
  try {
    parseHistory(text, { format, source: format === 'porcupine-kv' ? 'kv.txt' : 'etcd.log' });
  } catch (e) {
    return e as VerdictError;
  }
  throw new Error('expected the history to be rejected');
}

describe('Porcupine etcd logs', () => {
  it('reads nil, integers and [a b] values', () => {
    const h = etcd([
      line(0, 'invoke', 'read', 'nil'), line(1, 'invoke', 'write', '4'), line(2, 'invoke', 'cas', '[4 1]'),
      line(0, 'ok', 'read', 'nil'), line(1, 'ok', 'write', '4'), line(2, 'ok', 'cas', '[4 1]'),
    ].join('\n'));
    expect(h.format).toBe('porcupine-etcd');
    expect(h.operations.map((o) => [o.process, o.f, o.input, o.output, o.status])).toEqual([
      [0, 'read', null, null, 'ok'], [1, 'write', 4, 4, 'ok'], [2, 'cas', [4, 1], [4, 1], 'ok'],
    ]);
    expect(h.ops.map((o) => o.line)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads Jepsen\'s own layout (its fast path) as it reads the same lines spaced otherwise', () => {
    const lines = [
      line(0, 'invoke', 'cas', '[1 2]'), line(0, 'fail', 'cas', ':timed-out'), line(1, 'invoke', 'write', '-3'),
      line(1, 'info', 'write', ':timed-out'), line(2, 'invoke', 'read', 'nil'), line(2, 'ok', 'read', ':foo'),
      line(3, 'invoke', 'write', '99999999999999999999'), line(3, 'ok', 'write', '99999999999999999999'),
      line(4, 'invoke', 'read', 'nil'), line(4, 'fail', 'read', ':timed-out'),
    ];
    const spaced = lines.map((l) => l.replaceAll('\t', '  ').replace(' - ', ' -  '));
    const view = (h: History) => ({ ops: h.ops.map(({ line: _line, ...o }) => o), operations: h.operations });
    expect(view(etcd(lines.join('\n')))).toEqual(view(etcd(spaced.join('\n'))));
    expect(etcd(lines.join('\n')).ops.map((o) => o.error ?? null)).toEqual([null, 'timed-out', null, 'timed-out', null, null, null, null, null, 'timed-out']);
  });

  it('reads a cas pair exactly, beyond 2^53 and negative, and any other vector through EDN', () => {
    const h = etcd([
      line(0, 'invoke', 'cas', '[9007199254740993 -2]'), line(0, 'ok', 'cas', '[9007199254740993 -2]'),
      line(1, 'invoke', 'write', '[1 [2 3]]'), line(1, 'ok', 'write', '[1 [2 3]]'),
    ].join('\n'));
    expect(h.operations.map((o) => o.input)).toEqual([[9007199254740993n, -2], [1, [2, 3]]]);
  });

  it('reads :timed-out as the error of an unknown or failed outcome', () => {
    const h = etcd([
      line(3, 'invoke', 'cas', '[0 2]'), line(4, 'invoke', 'read', 'nil'),
      line(3, 'info', 'cas', ':timed-out'), line(4, 'fail', 'read', ':timed-out'),
    ].join('\n'));
    expect(h.operations[0]).toMatchObject({ status: 'info', input: [0, 2], output: undefined, error: 'timed-out', ret: Infinity });
    expect(h.operations[1]).toMatchObject({ status: 'fail', input: null, output: null, error: 'timed-out' });
  });

  it('keeps nemesis lines as events', () => {
    const h = etcd([line(':nemesis', 'info', 'start', 'nil'), line(0, 'invoke', 'read', 'nil'), line(':nemesis', 'info', 'start', '[:n1 :n2]')].join('\n'));
    expect(h.events.map((e) => [e.process, e.f, e.value])).toEqual([['nemesis', 'start', null], ['nemesis', 'start', ['n1', 'n2']]]);
  });

  it('skips log noise: other loggers, plain jepsen.util messages, stack traces, blank lines', () => {
    const h = etcd([
      '2017-05-01 12:00:00,000{GMT}\tINFO\t[main] jepsen.core: Running test',
      'INFO  jepsen.core - Worker 0 starting',
      'WARN  jepsen.db - node n1 slow',
      'INFO  jepsen.util - Relative time begins now',
      line(0, 'invoke', 'read', 'nil'),
      '',
      'java.net.SocketTimeoutException: Read timed out',
      '\tat java.net.SocketInputStream.socketRead0(Native Method)',
      '\t... 12 more',
      line(0, 'ok', 'read', '3'),
    ].join('\n'));
    expect(h.operations).toEqual([expect.objectContaining({ f: 'read', output: 3 })]);
    expect(h.ops.map((o) => o.line)).toEqual([5, 10]);
  });

  it("reads Jepsen's logback layout too: [thread] jepsen.util: message", () => {
    const h = etcd([
      '2017-05-01 12:00:00,000{GMT}\tINFO\t[jepsen worker 0] jepsen.util: 0\t:invoke\t:write\t2',
      '2017-05-01 12:00:00,001{GMT}\tINFO\t[jepsen worker 0] jepsen.util: 0\t:ok\t:write\t2',
    ].join('\n'));
    expect(h.operations).toEqual([expect.objectContaining({ process: 0, f: 'write', input: 2, status: 'ok' })]);
  });

  it('rejects a line that is neither an op nor recognisable noise', () => {
    const e = parseFailure([line(0, 'invoke', 'read', 'nil'), '0 :ok :read 3'].join('\n'), 'porcupine-etcd');
    expect(e.code).toBe('VRD_ERR_HISTORY_PARSE');
    expect(e.message).toContain('etcd.log, line 2: cannot parse history: not a jepsen.util op line');
  });

  it('rejects a malformed op line, a bad process and a bad value, naming the line', () => {
    expect(parseFailure('INFO  jepsen.util - 0\t:invoke read\tnil', 'porcupine-etcd').message).toContain('line 1: cannot parse history: malformed jepsen.util op line');
    expect(parseFailure(line('p0', 'invoke', 'read', 'nil'), 'porcupine-etcd').message).toContain('line 1, field process');
    expect(parseFailure(`${line(0, 'invoke', 'read', 'nil')}\n${line(0, 'ok', 'read', '[1 2')}`, 'porcupine-etcd').message).toContain('line 2, field value');
  });

  it('applies the pairing rules: an unknown type and an op after info are errors', () => {
    const unknown = parseFailure(line(0, 'okay', 'read', 'nil'), 'porcupine-etcd');
    expect(unknown.message).toContain('etcd.log, line 1, field type: invalid operation field: unknown type "okay"');
    const afterInfo = parseFailure([line(0, 'invoke', 'write', '1'), line(0, 'info', 'write', ':timed-out'), line(0, 'invoke', 'read', 'nil')].join('\n'), 'porcupine-etcd');
    expect(afterInfo.code).toBe('VRD_ERR_HISTORY_PAIRING');
    expect(afterInfo.message).toContain('line 3');
  });
});

describe('Porcupine etcd logs: any whitespace, and no op line ever dropped', () => {
  /** The same op line with its columns split by spaces (as Porcupine's own parser accepts). */
  const spaced = (process: string | number, type: string, f: string, value: string) => `INFO  jepsen.util - ${process}   :${type} :${f}  ${value}`;
  const verdict = async (text: string) => (await checkHistory(etcd(text))).linearizability!.outcome;

  it('reads space- and mixed-whitespace-separated columns like tab-separated ones', () => {
    const tabs = etcd([line(0, 'invoke', 'cas', '[4 1]'), line(0, 'ok', 'cas', '[4 1]'), line(':nemesis', 'info', 'start', 'nil')].join('\n'));
    const spaces = etcd([spaced(0, 'invoke', 'cas', '[4 1]'), spaced(0, 'ok', 'cas', '[4 1]'), spaced(':nemesis', 'info', 'start', 'nil')].join('\n'));
    const mixed = etcd(['INFO  jepsen.util - 0 \t:invoke\t :cas [4 1]', 'INFO  jepsen.util - 0\t\t:ok  \t:cas\t[4 1]  ', 'INFO  jepsen.util - :nemesis :info\t:start nil'].join('\n'));
    for (const h of [spaces, mixed]) {
      expect(h.operations).toEqual(tabs.operations);
      expect(h.events.map((e) => [e.process, e.f, e.value])).toEqual([['nemesis', 'start', null]]);
    }
  });

  it('detects a space-separated log as a Porcupine etcd log', () => {
    const h = parseHistory([spaced(0, 'invoke', 'read', 'nil'), spaced(0, 'ok', 'read', 'nil')].join('\n'));
    expect(h.format).toBe('porcupine-etcd');
    expect(h.operations).toHaveLength(1);
  });

  it('keeps a space-separated read that makes the history illegal (dropping it would give a false ok)', async () => {
    const log = [line(0, 'invoke', 'write', '1'), line(0, 'ok', 'write', '1'), spaced(1, 'invoke', 'read', 'nil'), spaced(1, 'ok', 'read', '2')].join('\n');
    expect(etcd(log).operations).toHaveLength(2);
    expect(await verdict(log)).toBe('illegal');
  });

  it('keeps a space-separated write that makes the history legal (dropping it would give a false illegal)', async () => {
    const log = [line(0, 'invoke', 'write', '1'), line(0, 'ok', 'write', '1'), spaced(2, 'invoke', 'write', '2'), spaced(2, 'ok', 'write', '2'),
      line(1, 'invoke', 'read', 'nil'), line(1, 'ok', 'read', '2')].join('\n');
    expect(etcd(log).operations).toHaveLength(3);
    expect(await verdict(log)).toBe('ok');
  });

  it('rejects, naming the line, an op-shaped line it cannot read instead of skipping it', () => {
    const missingF = parseFailure([line(0, 'invoke', 'read', 'nil'), 'INFO  jepsen.util - 0 :ok 3'].join('\n'), 'porcupine-etcd');
    expect(missingF.message).toContain('etcd.log, line 2: cannot parse history: malformed jepsen.util op line');
    const otherLogger = parseFailure([line(0, 'invoke', 'read', 'nil'), 'INFO  jepsen.core - 0 :ok :read 3'].join('\n'), 'porcupine-etcd');
    expect(otherLogger.message).toContain('line 2: cannot parse history: looks like an op, but logged by jepsen.core');
    const okay = parseFailure('INFO  jepsen.util - 0 :okay :read nil', 'porcupine-etcd');
    expect(okay.message).toContain('line 1, field type: invalid operation field: unknown type "okay"');
  });

  it('reads a fail without its value (:fail :cas :timed-out) as observing nothing, like :fail :read :timed-out', async () => {
    // The register holds 0. Read as "the compare ran and saw another value", the failed cas of
    // 0 would be illegal; it timed out, so it observed nothing, and a fail did not happen.
    const timedOut = [line(0, 'invoke', 'write', '0'), line(0, 'ok', 'write', '0'), line(1, 'invoke', 'cas', '[0 1]'), line(1, 'fail', 'cas', ':timed-out'),
      line(2, 'invoke', 'read', 'nil'), line(2, 'fail', 'read', ':timed-out'), line(2, 'invoke', 'read', 'nil'), line(2, 'ok', 'read', '0')].join('\n');
    expect(etcd(timedOut).operations[1]).toMatchObject({ status: 'fail', output: null, error: 'timed-out' });
    expect(await verdict(timedOut)).toBe('ok');
    // A fail that carries its value did observe: the cas of 0 failed while the register held 0.
    const observed = timedOut.replace(`${line(1, 'fail', 'cas', ':timed-out')}`, line(1, 'fail', 'cas', '[0 1]'));
    expect(await verdict(observed)).toBe('illegal');
  });
});

describe('Porcupine kv logs', () => {
  it('reads one EDN map a line into ops valued [key, value]', () => {
    const h = parseHistory([
      '{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}',
      '{:process 1, :type :invoke, :f :get, :key "0", :value nil}',
      '{:process 0, :type :ok, :f :append, :key "0", :value "x 0 0 y"}',
      '{:process 1, :type :ok, :f :get, :key "0", :value "x 0 0 y"}',
      '{:process 2, :type :invoke, :f :put, :key "3", :value "a"}',
    ].join('\n'), { source: 'c01.txt' });
    expect(h.format).toBe('porcupine-kv');
    expect(h.operations.map((o) => [o.process, o.f, o.input, o.output, o.status])).toEqual([
      [0, 'append', ['0', 'x 0 0 y'], ['0', 'x 0 0 y'], 'ok'],
      [1, 'get', ['0', null], ['0', 'x 0 0 y'], 'ok'],
      [2, 'put', ['3', 'a'], undefined, 'info'],
    ]);
  });

  it('rejects a line without :key and a line that is not EDN, naming the line', () => {
    const noKey = parseFailure('{:process 0, :type :invoke, :f :get, :key "1", :value nil}\n{:process 0, :type :ok, :f :get, :value nil}', 'porcupine-kv');
    expect(noKey.message).toContain('kv.txt, line 2, field key: invalid operation field: missing key');
    const broken = parseFailure('{:process 0, :type :invoke, :f :get, :key "1", :value nil}\n{:process 0, :type :ok, :f :get, :key "1", :value "abc}', 'porcupine-kv');
    expect(broken.code).toBe('VRD_ERR_HISTORY_PARSE');
    expect(broken.message).toContain('line 2');
  });

  it('reads lines in other layouts (escapes, a map over two lines) as EDN, from there on, with the file\'s line numbers', () => {
    const lines = [
      '{:process 0, :type :invoke, :f :put, :key "k", :value "a"}',
      '{:process 0, :type :ok, :f :put, :key "k", :value "a"}',
      '{:process 1, :type :invoke, :f :put, :key "k", :value "say \\"hi\\""}',
      '{:process 1, :type :ok,',
      ' :f :put, :key "k", :value "say \\"hi\\""}',
      '{:process 2, :type :invoke, :f :get, :key "k", :value nil}',
      '{:process 2, :type :ok, :f :get, :key "k", :value "say \\"hi\\""}',
    ];
    const h = parseHistory(lines.join('\n'), { format: 'porcupine-kv' });
    expect(h.operations.map((o) => [o.process, o.f, o.output])).toEqual([[0, 'put', ['k', 'a']], [1, 'put', ['k', 'say "hi"']], [2, 'get', ['k', 'say "hi"']]]);
    expect(h.ops.map((o) => o.line)).toEqual([1, 2, 3, 4, 6, 7]);
    const late = parseFailure([...lines, '{:process 3, :type :ok, :f :get, :value nil}'].join('\n'), 'porcupine-kv');
    expect(late.message).toContain('kv.txt, line 8, field key');
  });
});
