import type { VerdictError } from '../errors.js';
import { propertyName, untag } from './edn-tokens.js';
import { parseError } from './op-record.js';
import { tooDeep, VALUE_DEPTH_MAX } from './value-depth.js';

/** Receives one top-level EDN value, as plain data, and the line it starts on. */
export type EdnValueHandler = (value: unknown, line: number) => void;

/**
 * Receives one top-level EDN map as its entries: `count` items of `entries`, property names
 * (as a map's keys become) and values in turn, and the line it starts on. `entries` is the
 * reader's own array, reused for the next map: read it, do not keep it.
 */
export type EdnEntriesHandler = (entries: readonly unknown[], count: number, line: number) => void;

/** The kinds of open form. */
export const VECTOR = 0;
export const LIST = 1;
export const SET = 2;
export const MAP = 3;
/** A tag (`#inst`, `#my.ns/Record`) or `#:ns`, waiting for the value it applies to. */
export const TAG = 4;
/** `#_`, waiting for the value it drops. */
export const DISCARD = 5;
/** The outer `[` or `(` holding the whole history: its elements come out one by one. */
const HISTORY = 6;
const OPENERS = ['[', '(', '#{', '{', '#', '#_', '['] as const;

/** One open form; reused by depth, so reading allocates only the values themselves. */
class Frame {
  kind = VECTOR;
  /** Elements so far; reused by the next form at this depth (the value is an exact-size copy). */
  items: unknown[] = [];
  count = 0;
  map: Record<string, unknown> = {};
  key: unknown = undefined;
  hasKey = false;
  /** `#:ns{…}`: keyword keys get this namespace. */
  ns: string | undefined = undefined;
  /** A top-level map read as entries (`items`) for `onEntries`, not as an object. */
  entries = false;
  /** The closer expected (`]`, `)` or `}` as a code unit); 0 for a tag or a discard. */
  closer = 0;
  line = 0;
}

export interface EdnFormsOptions {
  source?: string;
  /**
   * `history` (default): a leading `[` or `(` holds the whole history and is taken off, so each
   * op comes out as soon as it is read; `values`: every top-level form is a value.
   */
  outer?: 'history' | 'values';
  /** Deepest nesting accepted (default VALUE_DEPTH_MAX). */
  depthMax?: number;
  /**
   * Top-level maps (a history's ops) go here as their entries instead of to the value handler
   * as objects: a reader that takes a few known keys out of each op map spares building it.
   */
  onEntries?: EdnEntriesHandler;
}

/**
 * The forms the EDN reader has open, as an explicit stack (so no input can overflow the call
 * stack), and what becomes of a value when it is finished: an element of a vector, list or set,
 * a key or value of a map, the value a tag applies to or a discard drops, or a top-level value
 * handed out. Nesting past `depthMax` is VRD_ERR_HISTORY_TOO_DEEP.
 */
export class EdnForms {
  private readonly frames: Frame[] = [];
  private depth = 0;
  private readonly depthMax: number;
  /** Line where the top-level form being read started. */
  private formLine = 0;
  private history: 'start' | 'none' | 'open' | 'closed';
  /** The value being delivered is a keyword (a `#:ns{…}` map namespaces keyword keys only). */
  private keyword = false;
  /**
   * The op map being read has said `:type :invoke` (before its value, in Jepsen's key order):
   * its written micro-ops are kept, a completion's are mostly dropped (see exactCopy).
   */
  private invoking = false;
  /** The depth of top-level values: 1 inside the history's bracket (and after it closed), else 0. */
  private top = 0;

  constructor(private readonly onValue: EdnValueHandler, private readonly options: EdnFormsOptions = {}) {
    this.depthMax = options.depthMax ?? VALUE_DEPTH_MAX;
    this.history = options.outer === 'values' ? 'none' : 'start';
  }

  /** A scalar read at `line`. */
  value(v: unknown, line: number, keyword = false): void {
    this.begin(line);
    this.keyword = keyword;
    this.deliver(v);
  }

  /** Before a value that is finished later (a string): notes where a top-level form starts. */
  begin(line: number): void {
    this.keyword = false;
    if (this.depth <= this.top) this.beginTopLevel(line);
  }

  /** A value starts at top level (outside any form, or right inside the history's bracket). */
  private beginTopLevel(line: number): void {
    if (this.history === 'start') {
      this.history = 'none';
    } else if (this.history === 'closed') {
      throw this.error(`content after the closing ${this.frames[0]!.closer === 93 ? ']' : ')'} of the history`, line);
    }
    this.formLine = line;
  }

  /** Opens a form of a kind, closed by `closer` (a code unit; 0 for a tag or a discard). */
  open(kind: number, closer: number, line: number, ns?: string): void {
    if (this.history === 'start' && (kind === VECTOR || kind === LIST)) {
      this.history = 'open';
      const f = this.frame(0);
      f.kind = HISTORY;
      f.closer = closer;
      f.line = line;
      this.depth = 1;
      this.top = 1;
      return;
    }
    this.begin(line);
    const topLevel = this.depth === this.top;
    const nesting = this.history === 'open' ? this.depth : this.depth + 1;
    if (nesting > this.depthMax) throw tooDeep({ source: this.options.source, line }, this.depthMax);
    const f = this.frame(this.depth++);
    f.kind = kind;
    f.closer = closer;
    f.line = line;
    // The map of a `#:ns{…}` gives its keyword keys that namespace.
    f.ns = ns ?? (kind === MAP ? this.tagNamespace(this.depth - 2) : undefined);
    f.entries = kind === MAP && topLevel && this.options.onEntries !== undefined;
    if (f.entries) {
      f.count = 0;
      this.invoking = false;
    } else if (kind === MAP) {
      f.map = {};
      f.hasKey = false;
      f.key = undefined;
    } else if (kind !== TAG && kind !== DISCARD) {
      f.count = 0;
    }
  }

  /** The namespace of a `#:ns` tag open at depth `at`, if that is one. */
  private tagNamespace(at: number): string | undefined {
    if (at < 0) return undefined; // (a negative index would be a slow lookup of a property named "-1")
    const parent = this.frames[at];
    return parent !== undefined && parent.kind === TAG ? parent.ns : undefined;
  }

  private frame(at: number): Frame {
    let f = this.frames[at];
    if (f === undefined) this.frames[at] = f = new Frame();
    return f;
  }

  /** A closing `]`, `)` or `}` (its code unit) at `line`. */
  close(c: number, line: number): void {
    if (this.depth === 0) {
      if (this.history === 'closed') throw this.error(`content after the closing ${this.frames[0]!.closer === 93 ? ']' : ')'} of the history`, line);
      throw this.error(`unbalanced ${String.fromCharCode(c)}`, line);
    }
    const f = this.frames[this.depth - 1]!;
    if (f.kind === TAG || f.kind === DISCARD) throw this.error(`${String.fromCharCode(c)} where a value was expected after ${f.kind === DISCARD ? '#_' : 'a tag'}`, line);
    if (f.closer !== c) {
      const opener = f.kind === HISTORY ? (f.closer === 93 ? '[' : '(') : OPENERS[f.kind];
      throw this.error(`${String.fromCharCode(c)} does not close the ${opener} opened at line ${f.line}`, line);
    }
    this.depth--;
    this.keyword = false;
    switch (f.kind) {
      case HISTORY:
        this.history = 'closed';
        return;
      case MAP:
        if (f.entries) {
          if ((f.count & 1) !== 0) throw this.error(`the map opened at line ${f.line} has a key without a value`, line);
          this.options.onEntries!(f.items, f.count, this.formLine);
          return;
        }
        if (f.hasKey) throw this.error(`the map opened at line ${f.line} has a key without a value`, line);
        this.deliver(f.map, line);
        return;
      default:
        this.deliver(exactCopy(f.items, f.count, this.invoking), line);
    }
  }

  /** Hands a finished value to the form it is in, or out of the reader at top level. */
  deliver(value: unknown, line = this.formLine): void {
    let v = value;
    for (;;) {
      const f = this.frames[this.depth - 1];
      if (f === undefined || f.kind === HISTORY) {
        this.onValue(v, this.formLine);
        return;
      }
      switch (f.kind) {
        case MAP:
          if (f.entries) {
            // Keys as the property names a map object would give them.
            if ((f.count & 1) === 0) {
              f.items[f.count] = typeof v === 'string' ? v : propertyName(v);
            } else {
              f.items[f.count] = v;
              if (f.items[f.count - 1] === 'type') this.invoking = v === 'invoke';
            }
            f.count++;
          } else if (!f.hasKey) {
            f.key = f.ns !== undefined && this.keyword && typeof v === 'string' ? namespacedKey(f.ns, v) : v;
            f.hasKey = true;
          } else {
            const name = propertyName(f.key);
            // A key named __proto__ in untrusted input must stay data, not become a prototype.
            if (name === '__proto__') Object.defineProperty(f.map, name, { value: v, enumerable: true, writable: true, configurable: true });
            else f.map[name] = v;
            f.hasKey = false;
          }
          this.keyword = false;
          return;
        case TAG:
          this.depth--;
          if (f.ns === undefined) v = untag(v);
          else if (v === null || typeof v !== 'object' || Array.isArray(v)) throw this.error(`#:${f.ns} must be followed by a map`, line);
          continue;
        case DISCARD:
          this.depth--;
          return;
        default:
          f.items[f.count++] = v;
          this.keyword = false;
          return;
      }
    }
  }

  /** At the end of the input: an error for anything left open (`inString`: a string was). */
  end(line: number, inString: boolean, stringLine: number): void {
    const base = this.history === 'open' ? 1 : 0;
    const formStart = this.depth > base ? this.frames[base]!.line : stringLine;
    if (inString) throw this.error(`unterminated string in the form starting at line ${formStart}`, line);
    if (this.depth > base) throw this.error(`unclosed form starting at line ${formStart}`, line);
    if (this.history === 'open') {
      const outer = this.frames[0]!;
      throw this.error(`the ${outer.closer === 93 ? '[' : '('} opened at line ${outer.line} is never closed`, line);
    }
  }

  error(reason: string, line: number): VerdictError {
    return parseError(`malformed EDN: ${reason}`, { source: this.options.source, line });
  }
}

/** A keyword key of a `#:ns{…}` map: `:a` → "ns/a", `:other/a` stays, `:_/a` → "a". */
function namespacedKey(ns: string, key: string): string {
  if (key.startsWith('_/')) return key.slice(2);
  return key.includes('/') ? key : `${ns}/${key}`;
}

/**
 * The first `n` items as an array of exactly that size: a growing array keeps spare capacity,
 * which a history would keep too. Short ones (micro-ops, kv pairs) come from array literals and
 * longer ones from `new Array(n)`, allocation sites V8 sees surviving and so allocates in the old
 * generation directly (pretenuring), sparing the young generation's copying (`slice` has no
 * allocation site). The literals saved about a tenth of the time of reading, sites of their
 * own for written micro-ops and `new Array` for long ones about another tenth.
 */
function exactCopy(items: readonly unknown[], n: number, invoking: boolean): unknown[] {
  switch (n) {
    case 0: return [];
    case 1: return [items[0]];
    case 2: return [items[0], items[1]];
    case 3:
      // Micro-ops: a completion's writes (`[:append k v]`) are dropped for its invocation's equal
      // ones (history-builder.ts), so a quarter of all micro-ops die young, and one allocation
      // site for them all survives too rarely for V8 to pretenure it. Three sites: micro-ops not
      // ending in a number (reads, all kept), an invocation's writes (kept) and a completion's
      // (mostly dropped), so the first two are allocated in the old generation. Only where
      // objects are allocated depends on `invoking`, never what is read.
      if (typeof items[2] !== 'number') return [items[0], items[1], items[2]];
      return invoking ? [items[0], items[1], items[2]] : [items[0], items[1], items[2]];
    case 4: return [items[0], items[1], items[2], items[3]];
    default: {
      const copy = new Array<unknown>(n);
      for (let i = 0; i < n; i++) copy[i] = items[i];
      return copy;
    }
  }
}
