import { Prisma } from '../generated/prisma/client.js';

/**
 * Postgres cannot store U+0000 in `text` or `jsonb` ("unsupported Unicode escape sequence"), yet
 * a history is anybody's data: a read of "x\u0000y" ends up in the report's witness, in an
 * anomaly's sentence, in a partition key. So every string bound for the database is stored with
 * U+0000 escaped, reversibly, and read back as it was: U+E000 (a private-use character) is the
 * escape, written as U+E000 'e' for itself and U+E000 '0' for U+0000. A stored string never has
 * U+E000 without one of those two after it, so decoding is unambiguous.
 */
const ESCAPE = '\uE000';
const NEEDS_ENCODING = /[\u0000\uE000]/;
const ENCODED = /\uE000([e0])/g;

export function encodeStoredText(text: string): string {
  if (!NEEDS_ENCODING.test(text)) return text;
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000\uE000]/g, (c) => (c === ESCAPE ? `${ESCAPE}e` : `${ESCAPE}0`));
}

export function decodeStoredText(text: string): string {
  if (!text.includes(ESCAPE)) return text;
  return text.replace(ENCODED, (_, c: string) => (c === 'e' ? ESCAPE : '\u0000'));
}

/** A value with every string in it (object keys too) encoded; anything but plain objects and arrays is left as it is (dates, buffers, Prisma's null markers). */
export function encodeStored<T>(value: T): T {
  return mapStrings(value, encodeStoredText);
}

export function decodeStored<T>(value: T): T {
  return mapStrings(value, decodeStoredText);
}

/**
 * Stored JSON text as Postgres prints it (`body::text`), decoded without a parse: U+E000 appears
 * only inside string literals, where U+E000 '0' becomes the JSON escape `\u0000`.
 */
export function decodeStoredJsonText(json: string): string {
  if (!json.includes(ESCAPE)) return json;
  return json.replace(ENCODED, (_, c: string) => (c === 'e' ? ESCAPE : '\\u0000'));
}

/**
 * The Prisma client extension that applies this to every model operation: arguments are encoded
 * (data written, and the values a `where` compares stored strings with), results decoded. Raw
 * queries bypass it and call the functions above themselves.
 */
export const storedTextExtension = Prisma.defineExtension({
  name: 'verdict-stored-text',
  query: {
    $allModels: {
      async $allOperations({ args, query }) {
        return decodeStored(await query(encodeStored(args)));
      },
    },
  },
});

function mapStrings<T>(value: T, map: (text: string) => string): T {
  if (typeof value === 'string') return map(value) as T;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const mapped = mapStrings(item, map);
      if (mapped !== item) (out ??= value.slice())[i] = mapped;
    }
    return (out ?? value) as T;
  }
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value);
    let changed = false;
    const mapped = entries.map(([key, item]): [string, unknown] => {
      const k = map(key);
      const v = mapStrings(item, map);
      if (k !== key || v !== item) changed = true;
      return [k, v];
    });
    // Rebuilt only when something changed, in the same key order.
    return (changed ? Object.fromEntries(mapped) : value) as T;
  }
  return value;
}
