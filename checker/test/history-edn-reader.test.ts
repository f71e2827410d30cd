import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EdnReader } from '../src/history/edn-reader.js';
import { parseEdnValue } from '../src/history/edn-values.js';
import { parseHistory, type VerdictError } from '../src/index.js';
import { ednDataValues } from './support/edn-oracle.js';

/** Every value of a text, read by the hand-written reader from chunks cut at the given offsets. */
function readChunked(text: string, cuts: readonly number[] = []): { values: unknown[]; lines: number[] } {
  const values: unknown[] = [];
  const lines: number[] = [];
  const reader = new EdnReader((v, line) => { values.push(v); lines.push(line); }, { outer: 'values' });
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    reader.push(text.slice(from, cut));
    from = cut;
  }
  reader.push(text.slice(from));
  reader.end();
  return { values, lines };
}

function failure(run: () => unknown): VerdictError {
  try {
    run();
  } catch (e) {
    return e as VerdictError;
  }
  throw new Error('expected an error');
}

/** EDN text with the value it stands for, generated together. */
type Sample = readonly [text: string, value: unknown];

const separator = fc.constantFrom(' ', ',', ', ', '\n', '\t', ' ; a comment ] ) }\n', '\r\n');
const name = fc.stringMatching(/^[a-z][a-z0-9_?!*-]{0,6}(\/[a-z][a-z0-9-]{0,4})?$/);
const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '"', '\\', '\n', '\t', '\r', 'é', '→', '😀', '\u0001', '#', '[', '}', ';', ':'), maxLength: 12 });

function ednStringOf(s: string): string {
  return `"${s.replace(/[\\"\n\t\r\u0000-\u001f]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t', '\r': '\\r' }[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))}"`;
}

const leaf: fc.Arbitrary<Sample> = fc.oneof(
  fc.maxSafeInteger().map((n): Sample => [String(n), n]),
  fc.tuple(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 0, max: 999 })).map(([a, b]): Sample => [`${a}.${b}`, Number(`${a}.${b}`)]),
  text.map((s): Sample => [ednStringOf(s), s]),
  name.map((k): Sample => [`:${k}`, k]),
  name.filter((k) => !['nil', 'true', 'false'].includes(k)).map((k): Sample => [k, k]),
  fc.constantFrom<Sample>(['nil', null], ['true', true], ['false', false], ['#inst "2024-01-02T03:04:05.000-00:00"', '2024-01-02T03:04:05.000-00:00'],
    ['#uuid "0b4c1a6e-61b2-4a47-8a3f-3b5b3d5d1e11"', '0b4c1a6e-61b2-4a47-8a3f-3b5b3d5d1e11'], ['\\a', 'a'], ['\\newline', '\n']),
);

const joined = (parts: readonly string[], seps: readonly string[]): string => parts.map((p, i) => (i === 0 ? p : `${seps[i % seps.length]}${p}`)).join('');

const sample: fc.Arbitrary<Sample> = fc.letrec<{ v: Sample }>((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(fc.array(tie('v'), { maxLength: 4 }), fc.array(separator, { minLength: 1, maxLength: 3 }), fc.constantFrom('[]', '()', '#{}'))
      .map(([xs, seps, brackets]): Sample => [`${brackets.slice(0, -1)}${joined(xs.map((x) => x[0]), seps)}${brackets.slice(-1)}`, xs.map((x) => x[1])]),
    fc.tuple(fc.uniqueArray(fc.tuple(fc.oneof(name.map((k) => [`:${k}`, k] as const), text.map((s) => [ednStringOf(s), s] as const), fc.nat(99).map((n) => [String(n), String(n)] as const)), tie('v')),
      { maxLength: 4, selector: ([k]) => k[1] }), fc.array(separator, { minLength: 1, maxLength: 3 }), fc.boolean())
      .map(([entries, seps, record]): Sample => {
        const value: Record<string, unknown> = {};
        for (const [[, key], [, v]] of entries) value[key] = v;
        return [`${record ? '#my.app/Record' : ''}{${joined(entries.map(([[k], [t]]) => `${k} ${t}`), seps)}}`, value];
      }),
    fc.tuple(tie('v'), tie('v')).map(([dropped, kept]): Sample => [`#_ ${dropped[0]} ${kept[0]}`, kept[1]]),
  ),
})).v;

describe('the EDN reader', () => {
  it('agrees with edn-data, and with the value the text was generated from (fast-check)', () => {
    fc.assert(fc.property(sample, ([edn, value]) => {
      expect(parseEdnValue(edn)).toEqual(value);
      expect(ednDataValues(edn)).toEqual([value]);
    }), { numRuns: 400 });
  });

  it('reads the same values and lines however the text is cut into chunks (fast-check)', () => {
    fc.assert(fc.property(fc.array(sample, { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 6 }), (samples, rawCuts) => {
      const edn = samples.map((s) => s[0]).join('\n');
      const whole = readChunked(edn);
      expect(whole.values).toEqual(samples.map((s) => s[1]));
      const cut = readChunked(edn, rawCuts.map((c) => c % (edn.length + 1)));
      expect(cut).toEqual(whole);
    }), { numRuns: 300 });
  });

  it('agrees with edn-data on every EDN history of the corpus', () => {
    const root = new URL('../../histories/', import.meta.url).pathname;
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(edn|txt)$/.test(entry)) files.push(path);
      }
    };
    walk(root);
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const edn = readFileSync(file, 'utf8');
      const trimmed = edn.trimStart();
      // Take off a history's outer bracket, as both readers do.
      const body = trimmed.startsWith('[') || trimmed.startsWith('(') ? trimmed.slice(1, trimmed.lastIndexOf(trimmed[0] === '[' ? ']' : ')')) : edn;
      expect(readChunked(body).values, file).toEqual(ednDataValues(body));
    }
  });

  it("reads what Jepsen writes: records, #object, exceptions with symbols, namespaced maps, chars, regexes, ##Inf", () => {
    const h = parseHistory(readFileSync(new URL('./fixtures/jepsen-shapes.edn', import.meta.url), 'utf8'), { format: 'edn', source: 'jepsen-shapes.edn' });
    expect(h.ops).toHaveLength(8);
    expect(h.ops[0]).toMatchObject({ process: 0, type: 'invoke', f: 'txn', value: [['append', 9, 1], ['r', 8, null]], time: 12 });
    expect(h.ops[1]).toMatchObject({ process: 0, type: 'ok', value: [['append', 9, 1], ['r', 8, [1, 2]]] });
    expect(h.ops[2]).toMatchObject({ process: 'nemesis', type: 'info', f: 'start-partition', value: ['isolated', { n1: ['n2', 'n3'], n2: ['n1'] }] });
    expect(h.ops[3]!.error).toEqual(['crash', 'Connection refused: n3/10.0.0.3:2379']);
    expect(h.ops[4]).toMatchObject({ type: 'info', error: { via: [{ type: 'java.net.SocketTimeoutException', message: 'Read timed out', at: ['java.net.SocketInputStream', 'socketRead0', 'SocketInputStream.java', -2] }], trace: [['clojure.core$inc', 'invokeStatic', 'core.clj', 929]] } });
    expect(h.ops[5]).toMatchObject({ process: 'nemesis', value: { 'jepsen.nemesis/nodes': ['n1'], 'jepsen.nemesis/thread': ['java.lang.Thread', 0x1a2b3c, 'worker 1'], kind: 'kill' } });
    expect(h.ops[6]).toMatchObject({ process: 2, value: ['\n', ' ', 'x', 'A', '^n\\d+$', Infinity, -Infinity, '1/3', 255, 5, 7] });
    expect(h.ops[7]).toMatchObject({ process: 2, type: 'ok', value: [1761222833067226378n, 2.5, 0] });
    expect(h.ops.map((o) => o.line)).toEqual([2, 3, 4, 6, 7, 16, 20, 23]);
  });

  it.each([
    ['an unknown dispatch', '#?(:clj 1)', 'unsupported dispatch #?('],
    ['an unknown ## value', '##Foo', 'unknown symbolic value ##Foo'],
    ['a bad character', '\\qq', 'unsupported character literal \\qq'],
    ['a bad number', '12abc', 'invalid number 12abc'],
    ['a map with a key and no value', '{:a 1 :b}', 'the map opened at line 2 has a key without a value'],
    ['a closer that does not match', '[1 2}', '} does not close the [ opened at line 2'],
    ['a discard with nothing to discard', '[#_]', '] where a value was expected after #_'],
    ['#:ns without a map', '#:ns [1]', '#:ns must be followed by a map'],
  ])('rejects %s, naming the line', (_name, edn, message) => {
    const e = failure(() => readChunked(`\n${edn}`));
    expect(e.code).toBe('VRD_ERR_HISTORY_PARSE');
    expect(e.message).toContain(`line 2: cannot parse history: malformed EDN: ${message}`);
  });
});

describe('a token longer than many chunks', () => {
  it('is read once, whatever the chunks: a 2 MB keyword in 1 KiB chunks is the same keyword', () => {
    const long = 'k'.repeat(2_000_000);
    const text = `[:${long} 1]`;
    const cuts = Array.from({ length: Math.floor(text.length / 1024) }, (_, i) => (i + 1) * 1024);
    expect(readChunked(text, cuts).values).toEqual([[long, 1]]);
  });

  it('is refused past the token limit while its chunks are held, naming the limit', () => {
    const reader = new EdnReader(() => {}, { outer: 'values', tokenLengthMax: 10_000 });
    reader.push('[:');
    const e = failure(() => { for (let i = 0; i < 20; i++) reader.push('x'.repeat(1_000)); });
    expect(e.code).toBe('VRD_ERR_HISTORY_TOO_LARGE');
    expect(e.message).toContain('10000');
  });
});
