import { describe, expect, it } from 'vitest';
import { parseHistory, type History, type VerdictError } from '../src/index.js';

const edn = (text: string): History => parseHistory(text, { format: 'edn', source: 'h.edn' });
const brief = (h: History) => h.ops.map(({ process, type, f, value }) => ({ process, type, f, value }));

function parseFailure(text: string): VerdictError {
  try {
    edn(text);
  } catch (e) {
    return e as VerdictError;
  }
  throw new Error('expected the history to be rejected');
}

const WRITE_READ = [
  { process: 0, type: 'invoke', f: 'write', value: 1 },
  { process: 0, type: 'ok', f: 'write', value: 1 },
  { process: 1, type: 'invoke', f: 'read', value: null },
  { process: 1, type: 'ok', f: 'read', value: 1 },
];

describe('EDN histories', () => {
  it('reads a vector of op maps: keywords become strings, nil becomes null', () => {
    const h = edn(`[{:process 0, :type :invoke, :f :write, :value 1}
 {:process 0, :type :ok, :f :write, :value 1}
 {:process 1, :type :invoke, :f :read, :value nil}
 {:process 1, :type :ok, :f :read, :value 1}]`);
    expect(brief(h)).toEqual(WRITE_READ);
    expect(h.format).toBe('edn');
    expect(h.operations).toHaveLength(2);
    expect(h.operations[1]).toMatchObject({ f: 'read', input: null, output: 1, status: 'ok' });
  });

  it('reads a list and a bare stream of maps the same way', () => {
    const lines = ['{:process 0 :type :invoke :f :write :value 1}', '{:process 0 :type :ok :f :write :value 1}',
      '{:process 1 :type :invoke :f :read :value nil}', '{:process 1 :type :ok :f :read :value 1}'];
    expect(brief(edn(`(${lines.join('\n')})`))).toEqual(WRITE_READ);
    expect(brief(edn(lines.join('\n')))).toEqual(WRITE_READ);
    expect(brief(edn(`[\n${lines.join('\n')}\n]\n`))).toEqual(WRITE_READ);
    expect(brief(edn(`[${lines.join(' ')}]`))).toEqual(WRITE_READ);
  });

  it('skips ; comments, also those holding brackets or braces', () => {
    const h = edn(`; a history ] with ) brackets {
[{:process 0, :type :invoke, :f :write, :value 1} ; trailing ] comment
 ; a whole-line comment }
 {:process 0, :type :ok, :f :write, :value 1}]
; after the end`);
    expect(h.ops).toHaveLength(2);
    expect(h.ops.map((o) => o.line)).toEqual([2, 4]);
  });

  it('reads sets as arrays, maps as objects and tagged values as strings', () => {
    const h = edn(`[{:process 0, :type :invoke, :f :add, :value #{3 1}, :time 5}
 {:process 0, :type :ok, :f :add, :value {:k [1 2], "s" nil, 7 :x}, :error #uuid "0b4c1a6e-61b2-4a47-8a3f-3b5b3d5d1e11"}
 {:process 1, :type :invoke, :f :read, :value #inst "2024-01-02T03:04:05.000-00:00"}
 {:process 1, :type :info, :f :read, :value #my.app/Thing {:a 1}}]`);
    expect(h.ops[0]!.value).toEqual([3, 1]);
    expect(h.ops[0]!.time).toBe(5);
    expect(h.ops[1]!.value).toEqual({ k: [1, 2], s: null, 7: 'x' });
    expect(h.ops[1]!.error).toBe('0b4c1a6e-61b2-4a47-8a3f-3b5b3d5d1e11');
    expect(h.ops[2]!.value).toBe('2024-01-02T03:04:05.000-00:00');
    expect(h.ops[3]!.value).toEqual({ a: 1 });
  });

  it("reads Elle's transactions: micro-op vectors become nested arrays", () => {
    const h = edn(`{:index 0, :type :invoke, :process 3, :f :txn, :value [[:append 9 2] [:r 9 nil]]}
{:index 1, :type :ok, :process 3, :f :txn, :value [[:append 9 2] [:r 9 [1 2]]]}`);
    expect(h.ops[0]!.value).toEqual([['append', 9, 2], ['r', 9, null]]);
    expect(h.operations[0]).toMatchObject({ f: 'txn', output: [['append', 9, 2], ['r', 9, [1, 2]]] });
  });

  it('keeps the known fields, renumbers index densely and ignores unknown keys', () => {
    const h = edn(`{:index 10, :process 0, :type :invoke, :f :read, :value nil, :time 100, :node "n1", :session 4, :user :alice, :phase :final, :extra [1 2]}
{:index 20, :process 0, :type :fail, :f :read, :value nil, :time 200, :error :timeout}`);
    expect(h.ops[0]).toEqual({ index: 0, process: 0, type: 'invoke', f: 'read', value: null, time: 100, node: 'n1', session: 4, user: 'alice', phase: 'final', line: 1 });
    expect(h.ops[1]).toMatchObject({ index: 1, error: 'timeout', time: 200 });
    expect(h.operations[0]).toMatchObject({ status: 'fail', node: 'n1', session: 4, user: 'alice', phase: 'final', time: 100, endTime: 200, error: 'timeout' });
  });

  it('reads an op map as a map: a key given twice keeps its last value, a string key is a keyword\'s name, other keys are ignored', () => {
    const h = edn(`{:process 0, :type :ok, :f :read, "type" :invoke, :value 1, :value nil, 1 :fail, [:type] :fail, nil :fail}
{:process 0, :type :ok, :f :read, :value 2}`);
    expect(brief(h)).toEqual([{ process: 0, type: 'invoke', f: 'read', value: null }, { process: 0, type: 'ok', f: 'read', value: 2 }]);
    expect(parseFailure('{:process 0, :type :invoke, :f :read, :value}').message).toContain('line 1: cannot parse history: malformed EDN: the map opened at line 1 has a key without a value');
  });

  it('gives a namespaced op map (#:ns{…}) its namespace, so its :ns/type is not taken for :type', () => {
    expect(parseFailure('#:foo{:process 0, :type :invoke, :f :read, :value nil}').message).toContain('missing type');
    expect(parseFailure('[#:foo{:process 0, :type :invoke, :f :read, :value nil}]').message).toContain('missing type');
  });

  it('reads maps spread over several lines and gives each op the line it starts on', () => {
    const h = edn(`[{:process 0, :type :invoke, :f :write, :value 1}
 {:process :nemesis,
  :type :info,
  :f :start,
  :value "Cut off [:n3 #[:n4 :n5]]"} {:process 0, :type :ok, :f :write, :value 1}
 {:process 1,
  :type :invoke, :f :read, :value nil}]`);
    expect(h.ops.map((o) => o.line)).toEqual([1, 2, 5, 6]);
    expect(h.events[0]!.value).toBe('Cut off [:n3 #[:n4 :n5]]');
  });

  it('keeps nemesis ops as events, apart from the paired operations', () => {
    const h = edn(`[{:process :nemesis, :type :info, :f :start, :value nil}
 {:process 0, :type :invoke, :f :read, :value nil}
 {:process :nemesis, :type :info, :f :start, :value [:n1 :n2]}
 {:process 0, :type :ok, :f :read, :value 0}
 {:process :nemesis, :type :info, :f :stop, :value nil}]`);
    expect(h.events.map((e) => [e.index, e.f, e.value])).toEqual([[0, 'start', null], [2, 'start', ['n1', 'n2']], [4, 'stop', null]]);
    expect(h.operations).toHaveLength(1);
    expect(h.ops).toHaveLength(5);
  });

  it('reads ops without :process or :f as txns paired in FIFO order, with a warning', () => {
    const h = edn(`{:index 0 :type :invoke :value [[:append 1 1]]}
{:index 1 :type :invoke :value [[:r 1 nil]]}
{:index 2 :type :ok :value [[:append 1 1]]}
{:index 3 :type :ok :value [[:r 1 [1]]]}`);
    expect(h.operations.map((o) => [o.process, o.f, o.call, o.ret])).toEqual([[0, 'txn', 0, 2], [1, 'txn', 1, 3]]);
    expect(h.warnings).toEqual([expect.stringContaining('FIFO')]);
  });

  it('rejects an op without :process when others name theirs', () => {
    const e = parseFailure(`{:process 0 :type :invoke :f :read :value nil}
{:type :ok :f :read :value 1}`);
    expect(e.code).toBe('VRD_ERR_HISTORY_FIELD');
    expect(e.message).toContain('h.edn, line 2, field process');
  });

  it('rejects an op without :f whose value is not a list of micro-ops', () => {
    const e = parseFailure('{:process 0 :type :invoke :value 3}');
    expect(e.code).toBe('VRD_ERR_HISTORY_FIELD');
    expect(e.message).toContain('line 1, field f');
  });

  describe('malformed EDN names the line', () => {
    const OK = '{:process 0 :type :invoke :f :read :value nil}';
    it.each([
      ['an unclosed map', `[${OK}\n {:process 0, :type :ok`, 'unclosed form starting at line 2'],
      ['an unterminated string', `${OK}\n{:process 0 :type :ok :f :read :value "abc}\n`, 'unterminated string in the form starting at line 2'],
      ['a vector never closed', `[${OK}\n`, 'the [ opened at line 1 is never closed'],
      ['a stray closing bracket', `${OK}\n]\n`, 'h.edn, line 2: cannot parse history: malformed EDN: unbalanced ]'],
      ['a stray closing paren', `${OK}\n)\n${OK}`, 'h.edn, line 2: cannot parse history: malformed EDN: unbalanced )'],
      ['content after the closing bracket', `[${OK}]\n${OK}`, 'h.edn, line 2: cannot parse history: malformed EDN: content after the closing ] of the history'],
      ['a value that is not a map', `[${OK}\n 42]`, 'h.edn, line 2: cannot parse history: expected an operation map, got 42'],
      ['a bad string escape', `${OK}\n\n{:process 0 :type :ok :f :read :value "a\\q"}`, 'h.edn, line 3: cannot parse history: malformed EDN: unexpected escape character \\q in a string'],
    ])('%s', (_name, text, message) => {
      const e = parseFailure(text);
      expect(e.code).toBe('VRD_ERR_HISTORY_PARSE');
      expect(e.message).toContain(message);
    });
  });
});
