import { exactInteger } from '../models/values.js';
import { nestsDeeperThan, VALUE_DEPTH_MAX } from './value-depth.js';

/** Why JSON text could not be read; `position` is the offset of the offending character. */
export class JsonSyntaxError extends Error {
  constructor(reason: string, readonly position: number) {
    super(`${reason} at position ${position}`);
  }
}

/** Thrown when the text nests deeper than allowed; `position` is the first bracket too deep. */
export class JsonTooDeepError extends Error {
  constructor(readonly depthMax: number, readonly position: number) {
    super(`values may nest at most ${depthMax} levels deep (position ${position})`);
  }
}

/** Digits in a row from which an integer may lie beyond 2^53 (2^53 has 16 digits). */
const LONG_DIGITS = 16;

/**
 * True when the text holds a run of 16 or more digits: only such an integer can lie beyond 2^53.
 * Any such run covers an index ≡ 15 (mod 16), so only every 16th character is looked at, and
 * the runs through those that are digits measured: several times cheaper than /\d{16}/ on every
 * line of a history.
 */
export function hasLongDigitRun(text: string): boolean {
  const n = text.length;
  for (let i = LONG_DIGITS - 1; i < n; i += LONG_DIGITS) {
    if (!isDigit(text.charCodeAt(i))) continue;
    let start = i;
    while (start > 0 && isDigit(text.charCodeAt(start - 1))) start--;
    let end = i + 1;
    while (end < n && isDigit(text.charCodeAt(end))) end++;
    if (end - start >= LONG_DIGITS) return true;
  }
  return false;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Reads JSON text exactly: an integer beyond ±(2^53 − 1) becomes a bigint (`JSON.parse` would
 * round it), and nesting deeper than `depthMax` throws `JsonTooDeepError`. Text without a run of
 * 16 digits cannot hold such an integer and goes to the native `JSON.parse`, so the common case
 * keeps its speed. Throws `JsonSyntaxError` (or `SyntaxError` from the native parser) when
 * malformed.
 */
export function parseJsonExact(text: string, depthMax: number = VALUE_DEPTH_MAX): unknown {
  if (!hasLongDigitRun(text)) {
    const value: unknown = JSON.parse(text);
    // Nesting deeper than depthMax needs at least 2 * depthMax brackets.
    if (text.length > 2 * depthMax && nestsDeeperThan(value, depthMax)) throw new JsonTooDeepError(depthMax, tooDeepAt(text, depthMax));
    return value;
  }
  const reader = new ExactJsonReader(text, depthMax);
  const value = reader.value(0);
  reader.skipSpace();
  if (reader.at < text.length) throw new JsonSyntaxError('unexpected content after the value', reader.at);
  return value;
}

/** Where well-formed JSON text first nests deeper than depthMax (-1 when it does not). */
function tooDeepAt(text: string, depthMax: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 91 || c === 123) {
      if (++depth > depthMax) return i;
    } else if (c === 93 || c === 125) {
      depth--;
    }
  }
  return -1;
}

/** Recursive descent over JSON's grammar; recursion is bounded by depthMax. */
class ExactJsonReader {
  at = 0;

  constructor(private readonly s: string, private readonly depthMax: number) {}

  skipSpace(): void {
    const s = this.s;
    while (this.at < s.length) {
      const c = s.charCodeAt(this.at);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return;
      this.at++;
    }
  }

  value(depth: number): unknown {
    this.skipSpace();
    const s = this.s;
    const c = s.charCodeAt(this.at);
    if (c === 123 || c === 91) {
      if (depth + 1 > this.depthMax) throw new JsonTooDeepError(this.depthMax, this.at);
      return c === 123 ? this.object(depth + 1) : this.array(depth + 1);
    }
    if (c === 34) return this.string();
    if (c === 45 || (c >= 48 && c <= 57)) return this.number();
    for (const [word, v] of LITERALS) {
      if (s.startsWith(word, this.at)) {
        this.at += word.length;
        return v;
      }
    }
    throw new JsonSyntaxError(this.at >= s.length ? 'unexpected end of input' : `unexpected character ${JSON.stringify(s[this.at])}`, this.at);
  }

  private object(depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.at++;
    this.skipSpace();
    if (this.s.charCodeAt(this.at) === 125) { this.at++; return out; }
    for (;;) {
      this.skipSpace();
      if (this.s.charCodeAt(this.at) !== 34) throw new JsonSyntaxError('expected a string key', this.at);
      const key = this.string();
      this.skipSpace();
      if (this.s.charCodeAt(this.at) !== 58) throw new JsonSyntaxError('expected :', this.at);
      this.at++;
      const v = this.value(depth);
      // As JSON.parse does: a key named __proto__ is data.
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
      this.skipSpace();
      const c = this.s.charCodeAt(this.at++);
      if (c === 125) return out;
      if (c !== 44) throw new JsonSyntaxError('expected , or }', this.at - 1);
    }
  }

  private array(depth: number): unknown[] {
    const out: unknown[] = [];
    this.at++;
    this.skipSpace();
    if (this.s.charCodeAt(this.at) === 93) { this.at++; return out; }
    for (;;) {
      out.push(this.value(depth));
      this.skipSpace();
      const c = this.s.charCodeAt(this.at++);
      if (c === 93) return out;
      if (c !== 44) throw new JsonSyntaxError('expected , or ]', this.at - 1);
    }
  }

  private string(): string {
    const s = this.s;
    const start = this.at;
    let end = start + 1;
    // Let the native parser decode the escapes once the extent is known.
    for (;;) {
      const c = s.charCodeAt(end);
      if (Number.isNaN(c)) throw new JsonSyntaxError('unterminated string', start);
      if (c === 34) break;
      if (c === 92) end++;
      else if (c < 32) throw new JsonSyntaxError('control character in a string', end);
      end++;
    }
    this.at = end + 1;
    try {
      return JSON.parse(s.slice(start, end + 1)) as string;
    } catch {
      throw new JsonSyntaxError('bad escape in a string', start);
    }
  }

  private number(): number | bigint {
    NUMBER.lastIndex = this.at;
    const m = NUMBER.exec(this.s);
    if (m === null) throw new JsonSyntaxError('malformed number', this.at);
    this.at += m[0].length;
    // An integer is exact; a fraction or an exponent makes a float.
    return m[1] === undefined && m[2] === undefined ? exactInteger(m[0]) : Number(m[0]);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const LITERALS: readonly [string, unknown][] = [['true', true], ['false', false], ['null', null]];
