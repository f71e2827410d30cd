import { describe, expect, it } from 'vitest';
import {
  checkHistory,
  historyToEdn,
  historyToJsonl,
  parseHistory,
  renderJunit,
  renderText,
  renderTimelineSvg,
  stableStringify,
  type HistoryFormat,
  type VerdictError,
} from '../src/index.js';

/** `[[[…1…]]]`, `depth` brackets deep. */
const nested = (depth: number, open = '[', close = ']'): string => `${open.repeat(depth)}1${close.repeat(depth)}`;

function failure(run: () => unknown): VerdictError {
  try {
    run();
  } catch (e) {
    return e as VerdictError;
  }
  throw new Error('expected the history to be rejected');
}

/** A write of `value` then a read of it, in a format, with the value on line 2. */
function writeRead(format: HistoryFormat, value: string): string {
  switch (format) {
    case 'edn':
      return `[{:process 0 :type :invoke :f :write :value 1}\n {:process 0 :type :ok :f :write :value ${value}}]`;
    case 'jsonl':
      return `{"process":0,"type":"invoke","f":"write","value":1}\n{"process":0,"type":"ok","f":"write","value":${value}}`;
    case 'json':
      return `[{"process":0,"type":"invoke","f":"write","value":1},\n{"process":0,"type":"ok","f":"write","value":${value}}]`;
    case 'porcupine-etcd':
      return `INFO  jepsen.util - 0\t:invoke\t:write\t1\nINFO  jepsen.util - 0\t:ok\t:write\t${value}`;
    case 'porcupine-kv':
      return `{:process 0 :type :invoke :f :put :key "k" :value "a"}\n{:process 0 :type :ok :f :put :key "k" :value ${value}}`;
  }
}

describe('deeply nested values', () => {
  describe.each(['edn', 'jsonl', 'json', 'porcupine-etcd', 'porcupine-kv'] as const)('in %s', (format) => {
    it('20,000 levels are VRD_ERR_HISTORY_TOO_DEEP (422) naming the line, not a stack overflow', () => {
      const e = failure(() => parseHistory(writeRead(format, nested(20_000)), { format, source: 'deep' }));
      expect(e.code).toBe('VRD_ERR_HISTORY_TOO_DEEP');
      expect(e.status).toBe(422);
      expect(e.message).toBe('deep, line 2: a value nests too deeply: values may nest at most 1000 levels deep');
    });

    it('a value at the limit (1000 levels with its op) is read', () => {
      // The op map (or the log line) is the first level; the value may add 999.
      const h = parseHistory(writeRead(format, nested(999)), { format });
      expect(h.operations).toHaveLength(1);
      expect(failure(() => parseHistory(writeRead(format, nested(1000)), { format })).code).toBe('VRD_ERR_HISTORY_TOO_DEEP');
    });
  });

  it('counts maps, sets, lists and tags in EDN, and braces in JSON', () => {
    expect(failure(() => parseHistory(`{:process 0 :type :invoke :f :write :value ${'#t '.repeat(5000)}1}`, { format: 'edn' })).code).toBe('VRD_ERR_HISTORY_TOO_DEEP');
    expect(failure(() => parseHistory(`{:process 0 :type :invoke :f :write :value ${'#{'.repeat(700)}${nested(700, '(', ')')}${'}'.repeat(700)}}`, { format: 'edn' })).code).toBe('VRD_ERR_HISTORY_TOO_DEEP');
    expect(failure(() => parseHistory(`{"process":0,"type":"invoke","f":"write","value":${'{"a":'.repeat(1500)}1${'}'.repeat(1500)}}`, { format: 'jsonl' })).code).toBe('VRD_ERR_HISTORY_TOO_DEEP');
  });

  it('names the line in a pretty-printed JSON array and on the exact (big integer) path', () => {
    const pretty = `[\n  {"process": 0, "type": "invoke", "f": "write",\n   "value": ${nested(5000)}}\n]`;
    expect(failure(() => parseHistory(pretty, { format: 'json', source: 'p.json' })).message).toContain('p.json, line 3: a value nests too deeply');
    const big = `{"process":0,"type":"invoke","f":"write","value":[9007199254740993,${nested(5000)}]}`;
    expect(failure(() => parseHistory(big, { format: 'jsonl', source: 'b.jsonl' })).message).toContain('b.jsonl, line 1: a value nests too deeply');
  });

  it('a value at the limit goes through every check and rendering without overflowing the stack', async () => {
    const deep = nested(998);
    const text = [
      `{:process 0 :type :invoke :f :write :value [9007199254740993 ${deep}]}`,
      `{:process 0 :type :ok :f :write :value [9007199254740993 ${deep}]}`,
      '{:process 1 :type :invoke :f :read :value nil}',
      `{:process 1 :type :ok :f :read :value [9007199254740993 ${deep}]}`,
      '{:process 2 :type :invoke :f :read :value nil}',
      `{:process 2 :type :ok :f :read :value [9007199254740992 ${deep}]}`,
    ].join('\n');
    const h = parseHistory(text, { format: 'edn' });
    const report = await checkHistory(h, { model: 'register', levels: true });
    expect(report.linearizability!.outcome).toBe('illegal');
    expect(JSON.parse(JSON.stringify(report)).linearizability.outcome).toBe('illegal');
    expect(renderText(report)).toContain('9007199254740993');
    expect(renderJunit(report)).toContain('<testsuite');
    expect(renderTimelineSvg(h)).toContain('<svg');
    expect(stableStringify(h.operations[0]!.input).length).toBeGreaterThan(1996);
    expect(parseHistory(historyToJsonl(h), { format: 'jsonl' }).operations).toEqual(h.operations);
    expect(parseHistory(historyToEdn(h), { format: 'edn' }).operations).toEqual(h.operations);
  });
});
