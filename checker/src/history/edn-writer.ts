/**
 * Values as EDN text, for the history export: the inverse of edn-reader.ts. Strings stay strings,
 * map keys that look like keywords become keywords, integers print exactly (a bigint as its
 * digits), and a float whose value is an integer beyond 2^53 keeps an exponent so it reads back
 * as a float, not as an exact integer.
 */

const KEYWORD = /^[A-Za-z_*!?<>=][A-Za-z0-9_*+!?<>=.\-/]*$/;

/** An EDN keyword when the name can be one, else the EDN string. */
export function keywordOr(name: string): string {
  return KEYWORD.test(name) ? `:${name}` : ednString(name);
}

export function ednString(s: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 32 && c !== 34 && c !== 92) continue;
    out += s.slice(from, i) + escapeChar(c);
    from = i + 1;
  }
  return `${out}${s.slice(from)}"`;
}

function escapeChar(c: number): string {
  switch (c) {
    case 34: return '\\"';
    case 92: return '\\\\';
    case 10: return '\\n';
    case 9: return '\\t';
    case 13: return '\\r';
    default: return `\\u${c.toString(16).padStart(4, '0')}`;
  }
}

function ednNumber(n: number): string {
  if (Number.isNaN(n)) return '##NaN';
  if (!Number.isFinite(n)) return n > 0 ? '##Inf' : '##-Inf';
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) return n.toExponential();
  return String(n);
}

/** One value as EDN. */
export function toEdn(v: unknown): string {
  switch (typeof v) {
    case 'undefined':
      return 'nil';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return ednNumber(v);
    case 'bigint':
      return v.toString();
    case 'string':
      return ednString(v);
    case 'object': {
      if (v === null) return 'nil';
      if (Array.isArray(v)) return `[${v.map(toEdn).join(' ')}]`;
      const parts: string[] = [];
      for (const k of Object.keys(v)) parts.push(`${keywordOr(k)} ${toEdn((v as Record<string, unknown>)[k])}`);
      return `{${parts.join(' ')}}`;
    }
    default:
      return ednString(String(v));
  }
}
