/**
 * The reference for the hand-written EDN reader: edn-data's parser, set up and converted the way
 * Verdict read EDN before it had its own reader (keywords and symbols as strings, nil null, sets
 * and lists arrays, maps objects, tagged values untagged). The differential tests compare the two
 * on generated EDN and on the corpus, where their semantics agree (edn-data rounds integers
 * beyond 2^53, so generated integers stay within it).
 */
import { EDNListParser } from 'edn-data/dist/parse.js';

const TAG_NAME = /#([A-Za-z][^\s,;"()[\]{}#]*)/g;

function untag(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? value : String(value);
  return value;
}

function fromEdn(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value;
    return value;
  }
  if (Array.isArray(value)) return value.map(fromEdn);
  const pairs = (value as { map?: unknown }).map;
  if (!Array.isArray(pairs)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of pairs as [unknown, unknown][]) {
    const key = typeof k === 'string' ? k : typeof k === 'number' ? String(k) : JSON.stringify(fromEdn(k));
    if (key === '__proto__') Object.defineProperty(out, key, { value: fromEdn(v), enumerable: true, writable: true, configurable: true });
    else out[key] = fromEdn(v);
  }
  return out;
}

/** Every top-level value of an EDN text, as edn-data reads it. */
export function ednDataValues(text: string): unknown[] {
  const parser = new EDNListParser({
    mapAs: 'doubleArray', setAs: 'array', listAs: 'array', keywordAs: 'string', symbolAs: 'string', charAs: 'string',
    tagHandlers: { inst: untag, uuid: untag },
  });
  for (const m of text.matchAll(TAG_NAME)) parser.tagHandlers![m[1]!] ??= untag;
  parser.next('(');
  const values = parser.next(`${text}\n,,`);
  return values.map(fromEdn);
}
