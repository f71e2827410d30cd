import { VerdictError } from '../errors.js';
import { DISCARD, EdnForms, LIST, MAP, SET, TAG, VECTOR, type EdnFormsOptions, type EdnValueHandler } from './edn-forms.js';
import { charToken, CLASS, endsToken, numberToken, WS } from './edn-tokens.js';

export type { EdnValueHandler } from './edn-forms.js';

export interface EdnReaderOptions extends EdnFormsOptions {
  /** Longest single token or string accepted, in characters (default 128 Mi). */
  tokenLengthMax?: number;
}

const enum Mode { Normal, String, Comment }

/** Keywords and symbols repeat all through a history: one string each saves memory (a slot per hash, the last one wins). */
const INTERNED_SLOTS = 4096;

/**
 * A streaming reader of Jepsen's EDN, written for its history shape and speed: text arrives in
 * chunks of any size (`push`), values come out as soon as they close, and memory holds the
 * values read so far plus at most one unfinished token, never the text.
 *
 * It reads maps, vectors, lists, sets, keywords (namespaced too), strings with escapes,
 * characters, symbols, nil/true/false, integers (exactly, `N` too), floats (and `M`), ratios (as
 * their text), tagged values (`#inst`, `#uuid`, records such as `#jepsen.history.Op{…}`,
 * `#object[…]`), namespaced maps `#:ns{…}`, `##Inf`/`##NaN`, regexes (as their text), `;` comments,
 * `#_` discards and commas as whitespace. Keywords and symbols become strings (`:invoke` →
 * "invoke"), nil null, sets and lists arrays, maps plain objects (non-string keys as their text).
 * The forms open are an explicit stack (edn-forms.ts), so no input can overflow the call stack;
 * nesting is bounded by `depthMax` (VRD_ERR_HISTORY_TOO_DEEP).
 */
export class EdnReader {
  private readonly forms: EdnForms;
  private readonly tokenLengthMax: number;
  private line = 1;
  private mode = Mode.Normal;
  /** Text of an unfinished token carried to the next chunk. */
  private carry = '';
  /**
   * Whole chunks after `carry` that did not end its token either: held, not scanned, until a
   * chunk that can end it arrives, so a token spanning many chunks is read once, not once a chunk.
   */
  private held: string[] = [];
  private heldLength = 0;
  private stringParts: string[] = [];
  private stringLength = 0;
  private stringLine = 0;
  private stringIsRegex = false;
  private readonly interned: (string | undefined)[] = new Array<string | undefined>(INTERNED_SLOTS).fill(undefined);

  constructor(onValue: EdnValueHandler, private readonly options: EdnReaderOptions = {}) {
    this.forms = new EdnForms(onValue, options);
    this.tokenLengthMax = options.tokenLengthMax ?? 128 * 1024 * 1024;
  }

  /** Reads the next chunk of text. */
  push(text: string): void {
    let from = 0;
    if (this.carry.length > 0) {
      const end = firstTokenEnd(text);
      if (end < 0) {
        // The carried token goes on through this whole chunk: chunk boundaries are arbitrary, so
        // scanning it later, joined to what ends the token, reads the same.
        this.held.push(text);
        this.heldLength += text.length;
        if (this.carry.length + this.heldLength > this.tokenLengthMax) throw this.tooLarge();
        return;
      }
      // Only the carried token and the chunk's text up to the character that ends it are joined
      // (joined, not concatenated: `+` makes a rope, and reading a rope character by character
      // costs an indirection each time); the rest of the chunk is scanned where it is. Joining
      // the whole chunk copied all the text once more, a fifth of what reading allocated.
      from = end + 1;
      const head = [this.carry, ...this.takeHeld(), text.slice(0, from)].join('');
      this.carry = '';
      this.scan(head, 0, false);
      if (this.carry.length > 0) {
        // The head ended inside something longer (a `\` character literal, a string escape): the
        // rest of the chunk is joined to it, as any chunk to a carried token.
        const s = [this.carry, text.slice(from)].join('');
        this.carry = '';
        this.scan(s, 0, false);
        return;
      }
    }
    this.scan(text, from, false);
  }

  /** The input ended: reports anything left open. */
  end(): void {
    const s = this.heldLength > 0 ? [this.carry, ...this.takeHeld()].join('') : this.carry;
    this.carry = '';
    if (s.length > 0) this.scan(s, 0, true);
    this.forms.end(this.line, this.mode === Mode.String, this.stringLine);
  }

  /** Scans `s` from `from`; `final`: the input ends with it. */
  private scan(s: string, from: number, final: boolean): void {
    const n = s.length;
    let i = from;
    if (this.mode === Mode.String) {
      i = this.readString(s, from, final, this.stringIsRegex);
      if (i < 0) return;
    } else if (this.mode === Mode.Comment) {
      i = s.indexOf('\n', from);
      if (i < 0) return;
      this.mode = Mode.Normal;
    }
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c < 128 && CLASS[c] === WS) {
        if (c === 10) this.line++;
        i++;
        continue;
      }
      switch (c) {
        case 59: { // ;
          const nl = s.indexOf('\n', i);
          if (nl < 0) { this.mode = Mode.Comment; return; }
          i = nl;
          continue;
        }
        case 123: this.forms.open(MAP, 125, this.line); i++; continue; // {
        case 91: this.forms.open(VECTOR, 93, this.line); i++; continue; // [
        case 40: this.forms.open(LIST, 41, this.line); i++; continue; // (
        case 93: case 41: case 125: this.forms.close(c, this.line); i++; continue;
        case 34: // "
          this.beginString();
          i = this.readString(s, i + 1, final, false);
          if (i < 0) return;
          continue;
        case 35: { // #
          const next = this.dispatch(s, i, final);
          if (next < 0) return;
          i = next;
          continue;
        }
        case 92: { // \ a character
          if (i + 1 >= n && !final) { this.carry = s.slice(i); return; }
          let end = i + 2;
          while (end < n && !endsToken(s.charCodeAt(end))) end++;
          if (end >= n && !final) { this.carry = s.slice(i); return; }
          const name = s.slice(i + 1, end);
          const ch = name.length === 0 ? undefined : charToken(name);
          if (ch === undefined) throw this.error(`unsupported character literal \\${name.slice(0, 20)}`, this.line);
          this.forms.value(ch, this.line);
          i = end;
          continue;
        }
        case 58: { // : a keyword
          const start = i + 1 < n && s.charCodeAt(i + 1) === 58 ? i + 2 : i + 1; // ::auto-resolved
          let end = start;
          let hash = 0x811c9dc5;
          for (let d = end < n ? s.charCodeAt(end) : 32; !endsToken(d); d = end < n ? s.charCodeAt(end) : 32) {
            hash = Math.imul(hash ^ d, 0x01000193);
            end++;
          }
          if (end >= n && !final) { this.carry = this.checkCarry(s, i); return; }
          if (end === start) throw this.error('a lone : is not a keyword', this.line);
          this.forms.value(this.intern(s, start, end, hash), this.line, true);
          i = end;
          continue;
        }
        case 110: // n: nil, read without cutting it out (it is in every invocation)
          if (i + 3 < n && s.charCodeAt(i + 1) === 105 && s.charCodeAt(i + 2) === 108 && endsToken(s.charCodeAt(i + 3))) {
            this.forms.value(null, this.line);
            i += 3;
            continue;
          }
          i = this.token(s, i, final);
          if (i < 0) return;
          continue;
        default: {
          // A number, true/false, or a symbol. The common case, a short decimal integer, is
          // read here without slicing.
          let end = i;
          let negative = false;
          if (c === 45 || c === 43) { negative = c === 45; end++; } // - +
          let v = 0;
          const digitsStart = end;
          for (let d = end < n ? s.charCodeAt(end) - 48 : -1; d >= 0 && d <= 9; d = end < n ? s.charCodeAt(end) - 48 : -1) {
            v = v * 10 + d;
            end++;
          }
          const digits = end - digitsStart;
          if (digits > 0 && digits <= 15 && (end < n ? endsToken(s.charCodeAt(end)) : final)
            && !(digits > 1 && s.charCodeAt(digitsStart) === 48)) {
            this.forms.value(negative ? 0 - v || 0 : v, this.line);
            i = end;
            continue;
          }
          i = this.token(s, i, final, digits > 0);
          if (i < 0) return;
        }
      }
    }
  }

  private takeHeld(): string[] {
    const held = this.held;
    this.held = [];
    this.heldLength = 0;
    return held;
  }

  /** A token from `i` to the next delimiter; -1 when the chunk ended first (carried). */
  private token(s: string, i: number, final: boolean, numeric = false): number {
    const n = s.length;
    let end = i + 1;
    while (end < n && !endsToken(s.charCodeAt(end))) end++;
    if (end >= n && !final) {
      this.carry = this.checkCarry(s, i);
      return -1;
    }
    this.forms.value(this.atom(s.slice(i, end), numeric), this.line);
    return end;
  }

  /** An unfinished token to carry over, unless it is already too long. */
  private checkCarry(s: string, from: number): string {
    if (s.length - from > this.tokenLengthMax) throw this.tooLarge();
    return s.slice(from);
  }

  /** A whole token that is not a keyword, string or character. */
  private atom(t: string, numeric: boolean): unknown {
    if (numeric) {
      const v = numberToken(t);
      if (v === undefined) throw this.error(`invalid number ${t.slice(0, 40)}`, this.line);
      return v;
    }
    if (t === 'nil') return null;
    if (t === 'true') return true;
    if (t === 'false') return false;
    let hash = 0x811c9dc5;
    for (let i = 0; i < t.length; i++) hash = Math.imul(hash ^ t.charCodeAt(i), 0x01000193);
    return this.intern(t, 0, t.length, hash);
  }

  /** The name s[start, end) with the hash of its code units, without cutting it out when known. */
  private intern(s: string, start: number, end: number, hash: number): string {
    const slot = hash & (INTERNED_SLOTS - 1);
    const known = this.interned[slot];
    if (known !== undefined && known.length === end - start && s.startsWith(known, start)) return known;
    const own = ownString(s.slice(start, end));
    this.interned[slot] = own;
    return own;
  }

  /** `#` forms. Returns the index after what it read, or -1 when the chunk ended first (carried). */
  private dispatch(s: string, i: number, final: boolean): number {
    const n = s.length;
    if (i + 1 >= n) {
      if (!final) { this.carry = s.slice(i); return -1; }
      throw this.error('# at the end of the input', this.line);
    }
    const c = s.charCodeAt(i + 1);
    if (c === 123) { this.forms.open(SET, 125, this.line); return i + 2; } // #{
    if (c === 95) { this.forms.open(DISCARD, 0, this.line); return i + 2; } // #_
    if (c === 34) { // #"regex": its text
      this.beginString();
      return this.readString(s, i + 2, final, true);
    }
    let end = i + 1;
    while (end < n && !endsToken(s.charCodeAt(end))) end++;
    if (end >= n && !final) { this.carry = this.checkCarry(s, i); return -1; }
    const name = s.slice(i + 1, end);
    if (name.startsWith('#')) { // ##Inf ##-Inf ##NaN
      const v = name === '#Inf' ? Infinity : name === '#-Inf' ? -Infinity : name === '#NaN' ? NaN : undefined;
      if (v === undefined) throw this.error(`unknown symbolic value #${name.slice(0, 20)}`, this.line);
      this.forms.value(v, this.line);
      return end;
    }
    if (name.startsWith(':')) { // #:ns{...}
      this.forms.open(TAG, 0, this.line, name.slice(1));
      return end;
    }
    if (name.length === 0 || !/^[A-Za-z]/.test(name)) throw this.error(`unsupported dispatch #${s.slice(i + 1, Math.min(n, i + 3))}`, this.line);
    this.forms.open(TAG, 0, this.line);
    return end;
  }

  /**
   * Reads a string body from `i` (after the quote, or the chunk's start when resuming). Returns
   * the index after the closing quote, or -1 when the chunk ended inside the string.
   */
  private readString(s: string, i: number, final: boolean, regex: boolean): number {
    this.mode = Mode.String;
    this.stringIsRegex = regex;
    const n = s.length;
    let start = i;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        this.addStringPart(s, start, i);
        const text = this.stringParts.length === 1 ? this.stringParts[0]! : this.stringParts.join('');
        this.stringParts = [];
        this.mode = Mode.Normal;
        this.forms.deliver(text.length >= 13 ? ownString(text) : text, this.line);
        return i + 1;
      }
      if (c === 10) this.line++;
      else if (c === 92) {
        this.addStringPart(s, start, i);
        const needed = i + 1 < n && s.charCodeAt(i + 1) === 117 /* u */ ? 6 : 2;
        if (i + needed > n && !final) { this.carry = s.slice(i); return -1; }
        const [text, used] = regex ? [s.slice(i, i + 2), 2] : this.escape(s, i);
        this.stringParts.push(text);
        this.stringLength += text.length;
        i += used;
        start = i;
        continue;
      }
      i++;
    }
    this.addStringPart(s, start, n);
    if (this.stringLength > this.tokenLengthMax) throw this.tooLarge();
    return -1;
  }

  private addStringPart(s: string, from: number, to: number): void {
    if (to <= from) return;
    this.stringParts.push(s.slice(from, to));
    this.stringLength += to - from;
  }

  /** One escape at `i` (a backslash): its text and how many characters it took. */
  private escape(s: string, i: number): [string, number] {
    const c = s[i + 1];
    switch (c) {
      case 'n': return ['\n', 2];
      case 't': return ['\t', 2];
      case 'r': return ['\r', 2];
      case 'b': return ['\b', 2];
      case 'f': return ['\f', 2];
      case '"': return ['"', 2];
      case '\\': return ['\\', 2];
      case 'u': {
        const hex = s.slice(i + 2, i + 6);
        if (/^[0-9A-Fa-f]{4}$/.test(hex)) return [String.fromCharCode(parseInt(hex, 16)), 6];
        break;
      }
      default: {
        const oct = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4));
        if (oct !== null && parseInt(oct[0], 8) <= 0o377) return [String.fromCharCode(parseInt(oct[0], 8)), 1 + oct[0].length];
      }
    }
    throw this.error(`unexpected escape character \\${c ?? ''} in a string`, this.line);
  }

  private beginString(): void {
    this.forms.begin(this.line);
    this.stringParts = [];
    this.stringLength = 0;
    this.stringLine = this.line;
  }

  private error(reason: string, line: number): VerdictError {
    return this.forms.error(reason, line);
  }

  private tooLarge(): VerdictError {
    return new VerdictError('VRD_ERR_HISTORY_TOO_LARGE', `a token or string longer than ${this.tokenLengthMax} characters`, { file: this.options.source, line: this.line });
  }
}

/** The index of the first character that ends a token (a blank, a comma or a delimiter), or -1. */
function firstTokenEnd(text: string): number {
  for (let i = 0; i < text.length; i++) if (endsToken(text.charCodeAt(i))) return i;
  return -1;
}

/**
 * A copy of a string that holds no reference to the text it was cut from: V8 keeps a slice of
 * 13 or more characters as a view into its parent (a whole chunk of the input), which a history
 * would otherwise keep alive for as long as it keeps the value.
 */
function ownString(t: string): string {
  return t.length >= 13 ? (` ${t}`).slice(1) : t;
}
