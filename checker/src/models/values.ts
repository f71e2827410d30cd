/** Equality, hashing and display of the JSON-like values histories carry. */

export function valueEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    // NaN never appears in histories; numbers, strings, booleans compare with ===.
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

/** JSON with object keys sorted, so equal values give equal strings. */
export function stableStringify(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v instanceof Map) {
    const entries = [...v.entries()].map(([k, x]) => [String(k), x] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x)}`).join(',')}}`;
  }
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** A short, readable rendering of a value (EDN-ish: nil for null). */
export function showValue(v: unknown): string {
  if (v === undefined) return '?';
  if (v === null) return 'nil';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  const s = stableStringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}
