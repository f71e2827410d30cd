import { exactInteger, normalizeInteger } from '../models/values.js';
import { valueToJson } from './value-json.js';

/**
 * The atoms of EDN as Verdict reads them (see edn-reader.ts): what ends a token, what a token
 * means (nil, true, false, a number, a symbol), character names, and what a tag does to the
 * value it tags.
 */

/** Character classes of the ASCII range; anything above is a token character. */
export const WS = 1;
export const DELIM = 2;
export const CLASS = new Uint8Array(128);
for (const c of ' \t\n\r\f\v,') CLASS[c.charCodeAt(0)] = WS;
for (const c of '"();[]{}\\') CLASS[c.charCodeAt(0)] = DELIM;

/** True when the code unit ends a token (whitespace, a comma or a delimiter). */
export function endsToken(c: number): boolean {
  return c < 128 && CLASS[c] !== 0;
}

const DECIMAL = /^[+-]?\d+N?$/;
const FLOAT = /^[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?M?$/;
const HEX = /^([+-]?)0[xX]([0-9A-Fa-f]+)N?$/;
const OCTAL = /^([+-]?)0([0-7]+)N?$/;
const RADIX = /^([+-]?)([1-9]\d?)[rR]([0-9A-Za-z]+)$/;
const RATIO = /^[+-]?\d+\/\d+$/;

/**
 * A token that starts like a number (a digit, or a sign then a digit), as Clojure reads it:
 * integers exactly (`N` allowed; hex `0x1F`, octal `017` and radix `2r101`, which Clojure prints
 * inside `#object[...]`), floats and `M` decimals as doubles, ratios as their text.
 * Undefined when the token is not a number.
 */
export function numberToken(t: string): number | bigint | string | undefined {
  if (DECIMAL.test(t)) {
    const digits = t.charCodeAt(t.length - 1) === 78 /* N */ ? t.slice(0, -1) : t;
    if (digits.length > 1 && digits.charCodeAt(digits[0] === '-' || digits[0] === '+' ? 1 : 0) === 48 /* 0 */ && /\d\d/.test(digits)) {
      return radixInteger(OCTAL.exec(t));
    }
    return exactInteger(digits.charCodeAt(0) === 43 /* + */ ? digits.slice(1) : digits);
  }
  if (FLOAT.test(t)) return Number(t.charCodeAt(t.length - 1) === 77 /* M */ ? t.slice(0, -1) : t);
  const hex = HEX.exec(t);
  if (hex !== null) return normalizeInteger((hex[1] === '-' ? -1n : 1n) * BigInt(`0x${hex[2]}`));
  const radix = RADIX.exec(t);
  if (radix !== null) return radixInteger(radix);
  if (RATIO.test(t)) return t.charCodeAt(0) === 43 ? t.slice(1) : t;
  return undefined;
}

/** An integer in base 8 (octal match: sign, digits) or base 2..36 (radix match: sign, base, digits). */
function radixInteger(m: RegExpExecArray | null): number | bigint | undefined {
  if (m === null) return undefined;
  const base = m.length === 4 ? Number(m[2]) : 8;
  const digits = (m.length === 4 ? m[3] : m[2])!.toLowerCase();
  if (base < 2 || base > 36) return undefined;
  let value = 0n;
  for (const d of digits) {
    const v = parseInt(d, 36);
    if (!(v < base)) return undefined;
    value = value * BigInt(base) + BigInt(v);
  }
  return normalizeInteger(m[1] === '-' ? -value : value);
}

const CHAR_NAMES: Record<string, string> = { newline: '\n', space: ' ', tab: '\t', return: '\r', backspace: '\b', formfeed: '\f' };

/** The string a character literal stands for (`\a`, `\newline`, `\u0041`, `\o101`), or undefined. */
export function charToken(name: string): string | undefined {
  if (name.length === 1) return name;
  const named = CHAR_NAMES[name];
  if (named !== undefined) return named;
  if (/^u[0-9A-Fa-f]{4}$/.test(name)) return String.fromCharCode(parseInt(name.slice(1), 16));
  if (/^o[0-7]{1,3}$/.test(name) && parseInt(name.slice(1), 8) <= 0o377) return String.fromCharCode(parseInt(name.slice(1), 8));
  return undefined;
}

/**
 * A tagged value without its tag: `#inst "…"` and `#uuid "…"` become their string, another tagged
 * scalar its text (`#foo 1` → "1"), and a tagged collection (a record such as
 * `#jepsen.history.Op{…}`, or `#object[…]`) its plain value.
 */
export function untag(value: unknown): unknown {
  if (value === null || typeof value === 'object' || typeof value === 'string') return value;
  return String(value);
}

/** The property name a map key becomes: strings (and keywords) as they are, other keys as text. */
export function propertyName(key: unknown): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' || typeof key === 'bigint') return String(key);
  return valueToJson(key);
}
