import { describe, expect, it } from 'vitest';
import { parseHistory, type History, type VerdictError } from '../src/index.js';

const brief = (h: History) => h.ops.map(({ process, type, f, value }) => ({ process, type, f, value }));

function parseFailure(text: string, source: string): VerdictError {
  try {
    parseHistory(text, { source });
  } catch (e) {
    return e as VerdictError;
  }
  throw new Error('expected the history to be rejected');
}

const OPS = [
  { process: 0, type: 'invoke', f: 'write', value: ['x', 1] },
  { process: 0, type: 'ok', f: 'write', value: ['x', 1] },
  { process: 'nemesis', type: 'info', f: 'start', value: null },
  { process: 1, type: 'invoke', f: 'read', value: ['x', null] },
  { process: 1, type: 'ok', f: 'read', value: ['x', 1] },
];
const lines = OPS.map((o) => JSON.stringify(o));

describe('JSONL histories', () => {
  it('reads one op object a line and skips blank lines', () => {
    const h = parseHistory(`\n${lines.join('\n\n')}\n  \n`, { format: 'jsonl' });
    expect(brief(h)).toEqual(OPS);
    expect(h.ops.map((o) => o.line)).toEqual([2, 4, 6, 8, 10]);
    expect(h.events).toHaveLength(1);
    expect(h.operations.map((o) => o.output)).toEqual([['x', 1], ['x', 1]]);
  });

  it('accepts CRLF line ends and a byte-order mark', () => {
    const h = parseHistory(`\uFEFF${lines.join('\r\n')}\r\n`, { format: 'jsonl' });
    expect(brief(h)).toEqual(OPS);
  });

  it('names the line of malformed JSON', () => {
    const bad = [...lines.slice(0, 3), '{"process": 1, "type": "invoke", "f": "read", "value": }', ...lines.slice(4)];
    const e = parseFailure(bad.join('\n'), 'h.jsonl');
    expect(e.code).toBe('VRD_ERR_HISTORY_PARSE');
    expect(e.message).toMatch(/^h\.jsonl, line 4: cannot parse history: malformed JSON: /);
    expect(e.location).toMatchObject({ file: 'h.jsonl', line: 4 });
  });

  it('rejects a line that is not an object', () => {
    const e = parseFailure(`${lines[0]}\n[1, 2]\n`, 'h.jsonl');
    expect(e.message).toContain('h.jsonl, line 2: cannot parse history: expected an operation map, got a list');
  });

  it('rejects a field of the wrong kind, naming it', () => {
    const e = parseFailure(`${lines[0]}\n{"process": 0, "type": "ok", "f": "write", "value": 1, "time": "noon"}`, 'h.jsonl');
    expect(e.code).toBe('VRD_ERR_HISTORY_FIELD');
    expect(e.message).toContain('h.jsonl, line 2, field time');
  });
});

describe('JSON array histories', () => {
  it('reads an array laid out one op a line, keeping each op its line', () => {
    const h = parseHistory(`[\n${lines.join(',\n')}\n]\n`, { source: 'h.json' });
    expect(h.format).toBe('json');
    expect(brief(h)).toEqual(OPS);
    expect(h.ops.map((o) => o.line)).toEqual([2, 3, 4, 5, 6]);
  });

  it('reads an array with the brackets on the first and last op lines', () => {
    const h = parseHistory(`[${lines.join(',\n ')}]`, { format: 'json' });
    expect(brief(h)).toEqual(OPS);
    expect(h.ops.map((o) => o.line)).toEqual([1, 2, 3, 4, 5]);
  });

  it('reads a pretty-printed array and names ops by position', () => {
    const text = JSON.stringify(OPS, null, 2);
    const h = parseHistory(text, { format: 'json' });
    expect(brief(h)).toEqual(OPS);
    const bad = JSON.stringify([...OPS.slice(0, 2), { ...OPS[3], type: 'okay' }], null, 2);
    const e = parseFailure(bad, 'h.json');
    expect(e.code).toBe('VRD_ERR_HISTORY_FIELD');
    expect(e.message).toContain('h.json, operation 2, field type: invalid operation field: unknown type "okay"');
  });

  it('names the line of malformed JSON', () => {
    const e = parseFailure(`[\n${lines[0]},\n${lines[1]}\n${lines[3]}\n]`, 'h.json');
    expect(e.code).toBe('VRD_ERR_HISTORY_PARSE');
    expect(e.message).toMatch(/^h\.json, line 4: cannot parse history: malformed JSON/);
  });

  it('rejects a document that is not an array', () => {
    const e = parseFailure('{\n  "ops": []\n}', 'h.json');
    expect(e.message).toContain('expected a JSON array of op objects');
  });
});
