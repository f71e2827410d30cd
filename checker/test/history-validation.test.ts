import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isVerdictError, parseHistory, readHistoryStream, type HistoryFormat, type VerdictError } from '../src/index.js';

const j = (op: Record<string, unknown>) => JSON.stringify(op);
const inv = (process: unknown, f: string, value: unknown = null) => j({ process, type: 'invoke', f, value });
const ok = (process: unknown, f: string, value: unknown = null) => j({ process, type: 'ok', f, value });
const info = (process: unknown, f: string, value: unknown = null) => j({ process, type: 'info', f, value });

function failure(lines: string[], options: { format?: HistoryFormat; source?: string } = {}): VerdictError {
  try {
    parseHistory(lines.join('\n'), { source: 'h.jsonl', ...options });
  } catch (e) {
    if (!isVerdictError(e)) throw e;
    return e as VerdictError;
  }
  throw new Error('expected the history to be rejected');
}

describe('history validation', () => {
  it('rejects an unknown type, naming file, line and field', () => {
    const lines = [inv(0, 'read'), ok(0, 'read', 1), inv(1, 'write', 2), ok(1, 'write', 2), inv(2, 'read'), ok(2, 'read', 2),
      j({ process: 3, type: 'okay', f: 'read', value: null })];
    const e = failure(lines);
    expect(e.code).toBe('VRD_ERR_HISTORY_FIELD');
    expect(e.status).toBe(422);
    expect(e.message).toContain('h.jsonl, line 7, field type: invalid operation field: unknown type "okay"');
    expect(e.location).toMatchObject({ file: 'h.jsonl', line: 7, field: 'type' });
  });

  it('rejects a missing type, a missing f and a process that is neither a number nor a name', () => {
    expect(failure([j({ process: 0, f: 'read', value: null })]).message).toContain('line 1, field type: invalid operation field: missing type');
    expect(failure([j({ process: 0, type: 'invoke', value: 1 })]).message).toContain('line 1, field f');
    expect(failure([j({ process: [0], type: 'invoke', f: 'read' })]).message).toContain('line 1, field process');
  });

  it('rejects a completion with no invocation', () => {
    const e = failure([inv(0, 'read'), ok(0, 'read', 1), ok(1, 'write', 3)]);
    expect(e.code).toBe('VRD_ERR_HISTORY_PAIRING');
    expect(e.message).toContain('h.jsonl, line 3: invalid invoke/completion pairing: ok write by process 1 has no open invocation');
  });

  it('rejects a process invoking while its last invocation is open', () => {
    const e = failure([inv(0, 'read'), inv(1, 'read'), inv(0, 'write', 1)]);
    expect(e.code).toBe('VRD_ERR_HISTORY_PAIRING');
    expect(e.message).toContain('h.jsonl, line 3:');
    expect(e.message).toContain('still open');
  });

  it('rejects an op by a process after its info completion', () => {
    const e = failure([inv(0, 'write', 1), info(0, 'write', 1), inv(1, 'read'), ok(1, 'read', 1), inv(0, 'read')]);
    expect(e.code).toBe('VRD_ERR_HISTORY_PAIRING');
    expect(e.message).toContain('h.jsonl, line 5:');
    expect(e.message).toContain('after an info completion (line 2)');
  });

  it('pairs by process id of any kind: small integers, integers past 2^16, names; 1 and "1" are two processes', () => {
    const h = parseHistory([inv(70000, 'read'), inv('1', 'read'), inv(1, 'write', 5), inv(3, 'read'), ok(1, 'write', 5),
      ok(70000, 'read', 5), info('1', 'read'), ok(3, 'read', 0)].join('\n'), { source: 'h.jsonl' });
    expect(h.operations.map((o) => [o.process, o.status, o.call, o.ret])).toEqual([
      [70000, 'ok', 0, 5], ['1', 'info', 1, Infinity], [1, 'ok', 2, 4], [3, 'ok', 3, 7],
    ]);
    expect(failure([inv(70000, 'write', 1), info(70000, 'write', 1), inv(70000, 'read')]).message).toContain('after an info completion (line 2)');
    expect(failure([inv('p', 'read'), inv('p', 'read')]).message).toContain('still open');
  });

  it('rejects a completion whose f differs from its invocation', () => {
    const e = failure([inv(0, 'read'), ok(0, 'write', 1)]);
    expect(e.message).toContain('h.jsonl, line 2, field f');
  });

  it('applies the same rules to EDN, naming EDN lines', () => {
    const e = failure(['[{:process 0 :type :invoke :f :read :value nil}', ' ; a comment', ' {:process 0 :type :invoke :f :read :value nil}]'], { source: 'h.edn' });
    expect(e.code).toBe('VRD_ERR_HISTORY_PAIRING');
    expect(e.message).toContain('h.edn, line 3:');
  });

  it('rejects a completion with nothing open when ops name no process', () => {
    const e = failure(['{:type :invoke :value [[:r 1 nil]]}', '{:type :ok :value [[:r 1 nil]]}', '{:type :ok :value [[:r 1 nil]]}'], { source: 'h.edn' });
    expect(e.code).toBe('VRD_ERR_HISTORY_PAIRING');
    expect(e.message).toContain('h.edn, line 3:');
  });

  it.each<[string, string, HistoryFormat | undefined]>([
    ['empty text', '', undefined],
    ['only whitespace', '  \n\t\n', undefined],
    ['blank JSONL lines', '\n\n', 'jsonl'],
    ['an empty JSON array', '[]', 'json'],
    ['an empty EDN vector with a comment', '; nothing ran\n[]\n', 'edn'],
    ['only log noise', 'INFO  jepsen.core - nothing\n', 'porcupine-etcd'],
  ])('rejects an empty history: %s', (_name, text, format) => {
    const e = failure([text], { format });
    expect(e.code).toBe('VRD_ERR_HISTORY_EMPTY');
  });

  it('rejects an empty stream', async () => {
    await expect(readHistoryStream(Readable.from([]), { source: 'upload' })).rejects.toMatchObject({ code: 'VRD_ERR_HISTORY_EMPTY' });
  });

  it('rejects an unknown format name', () => {
    const e = failure([inv(0, 'read')], { format: 'xml' as HistoryFormat });
    expect(e.code).toBe('VRD_ERR_HISTORY_FORMAT');
  });

  it('never half-loads: an error on the last line rejects the whole history', async () => {
    const lines = [inv(0, 'read'), ok(0, 'read', 1), inv(0, 'read'), ok(1, 'read', 1)];
    await expect(readHistoryStream(Readable.from([lines.join('\n')]), { source: 'h.jsonl' })).rejects.toMatchObject({
      code: 'VRD_ERR_HISTORY_PAIRING',
      location: { file: 'h.jsonl', line: 4 },
    });
  });
});
