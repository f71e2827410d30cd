import { EDNListParser } from 'edn-data/dist/parse.js';

/**
 * edn-data, set up the way Verdict reads Jepsen histories: keywords and symbols become strings
 * (`:invoke` → "invoke"), `nil` null, sets and lists arrays, maps plain objects, and tagged values
 * lose their tag. Maps are read as key/value pairs and turned into objects here, which is faster
 * than edn-data's own object mode and keeps keys that are not strings distinct.
 */

/** edn-data's parser modes (its `ParseMode` enum is not exported). */
const MODE_IDLE = 0;
const MODE_COMMENT = 4;

const TAG_NAME = /#([A-Za-z][^\s,;"()[\]{}#]*)/g;

/**
 * A tagged value without its tag: a tagged scalar becomes its string form (`#inst "2024-…"` →
 * `"2024-…"`, `#uuid "…"` → `"…"`); a tagged collection (a Clojure record) its plain value.
 */
function untag(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? value : String(value);
  return value;
}

/** An edn-data parser in stream mode: it reads top-level values one after another. */
export function newEdnStreamParser(): EDNListParser {
  const parser = new EDNListParser({
    mapAs: 'doubleArray',
    setAs: 'array',
    listAs: 'array',
    keywordAs: 'string',
    symbolAs: 'string',
    charAs: 'string',
    tagHandlers: { inst: untag, uuid: untag },
  });
  // edn-data treats the first `(` it sees as the start of the stream.
  parser.next('(');
  return parser;
}

/**
 * edn-data wraps unknown tags as `{tag, val}` objects, which could not be told from a map after
 * conversion; registering a handler for each tag name seen before the parser reaches it avoids that.
 */
export function registerTags(parser: EDNListParser, text: string): void {
  if (!text.includes('#')) return;
  const handlers = parser.tagHandlers!;
  for (const m of text.matchAll(TAG_NAME)) {
    const name = m[1]!;
    if (handlers[name] === undefined) handlers[name] = untag;
  }
}

/** Inside a string (or an escape in one) at the end of what it was fed. */
export function inString(parser: EDNListParser): boolean {
  const mode = parser.mode as number;
  return mode !== MODE_IDLE && mode !== MODE_COMMENT;
}

/** At top level, outside any collection, string or tag. */
export function atTopLevel(parser: EDNListParser): boolean {
  return parser.stack.length === 0 && (parser.mode as number) === MODE_IDLE;
}

/** Turns edn-data's output (maps as `{map: [[k, v]…]}`) into plain JSON-like values, in place. */
export function fromEdn(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    return value;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = fromEdn(value[i]);
    return value;
  }
  const pairs = (value as { map?: unknown }).map;
  if (!Array.isArray(pairs)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of pairs as [unknown, unknown][]) {
    const key = typeof k === 'string' ? k : typeof k === 'number' ? String(k) : JSON.stringify(fromEdn(k));
    // A key named __proto__ in untrusted input must stay data, not become a prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: fromEdn(v), enumerable: true, writable: true, configurable: true });
    else out[key] = fromEdn(v);
  }
  return out;
}

/** Reads exactly one EDN value from a short text (a Porcupine log value such as `[1 2]`). */
export function parseEdnValue(text: string): unknown {
  const parser = newEdnStreamParser();
  registerTags(parser, text);
  const values = parser.next(`${text}\n,,`);
  if (!atTopLevel(parser) || parser.isDone() || values.length !== 1) {
    throw new Error(`not one EDN value: ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`);
  }
  return fromEdn(values[0]);
}
