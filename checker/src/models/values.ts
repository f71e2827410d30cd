/**
 * Equality, hashing and display of the JSON-like values histories carry.
 *
 * Integers are exact: one within ±(2^53 − 1) is a `number`, one beyond is a `bigint`, never both
 * (parsers and `exactInteger` keep to this), so `===`, `Map` keys and `valueEquals` compare them
 * exactly while small integers stay plain numbers on the hot path. A number written with a fraction
 * or an exponent is a float, compared as a double: `1e20` is not the integer 100000000000000000000.
 */

export function valueEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    // NaN never appears in histories; numbers, bigints, strings, booleans compare with ===.
    return false;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valueEquals(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!valueEquals((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/** A bigint as the value it stands for: a number when it is a safe integer, else itself. */
export function normalizeInteger(b: bigint): number | bigint {
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}

/**
 * The exact value of a decimal integer's text (an optional sign, then digits): a number when it
 * is a safe integer, else a bigint. The caller has checked the syntax.
 */
export function exactInteger(text: string): number | bigint {
  // Up to 15 digits is always safe; a sign adds a character.
  if (text.length <= 15) return Number(text);
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : normalizeInteger(BigInt(text));
}

/** Exact integer addition (a counter's total); a float on either side makes a float sum. */
export function addValues(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    const sum = a + b;
    if (Number.isSafeInteger(sum) || !Number.isInteger(a) || !Number.isInteger(b)) return sum;
    return normalizeInteger(BigInt(a) + BigInt(b));
  }
  if ((typeof a === 'number' && !Number.isInteger(a)) || (typeof b === 'number' && !Number.isInteger(b))) return Number(a) + Number(b);
  return normalizeInteger(BigInt(a) + BigInt(b));
}

/** FNV-1a over a string, 32 bits. */
export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function hashValue(v: unknown): number {
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) ? mix32(v | 0) ^ mix32(Math.floor(v / 4294967296)) : hashString(String(v), 0x1234567);
    case 'bigint':
      return hashString(v.toString(), 0x51ed270b);
    case 'string':
      return hashString(v);
    case 'boolean':
      return v ? 0x2f1e0d3c : 0x1a2b3c4d;
    case 'undefined':
      return 0x5bd1e995;
    default:
      if (v === null) return 0x27d4eb2f;
      return hashString(stableStringify(v), 0x9e3779b9);
  }
}

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A number as canonical text. An integer-valued float beyond the safe range is written with an
 * exponent (`1e+20`), so it never reads as the exact integer a bigint of the same digits is.
 */
function numberText(v: number): string {
  if (Number.isInteger(v) && !Number.isSafeInteger(v)) return v.toExponential();
  return JSON.stringify(v);
}

/** JSON with object keys sorted, so equal values give equal strings; bigints are their digits. */
export function stableStringify(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'bigint') return v.toString();
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v instanceof Map) {
    const entries = [...v.entries()].map(([k, x]) => [String(k), x] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x)}`).join(',')}}`;
  }
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** A short, readable rendering of a value (EDN-ish: nil for null); integers print exactly. */
export function showValue(v: unknown): string {
  if (v === undefined) return '?';
  if (v === null) return 'nil';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) return v.toExponential();
  if (typeof v !== 'object') return String(v);
  const s = stableStringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
