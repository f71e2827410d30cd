/**
 * History values as JSON text. `JSON.stringify` cannot write a bigint (an integer beyond
 * ±(2^53 − 1), see models/values.ts), so:
 * - `valueToJson` writes one exactly, as bare digits: what the JSONL export and the service's
 *   stored copy of a history need to read back the same value;
 * - `jsonSafe` turns every bigint into the string of its digits: what reports carry, since a
 *   report is read by JSON tools (JavaScript's own among them) that would round a bare one.
 */

/** Only text with a run of 16 digits can hold an integer beyond 2^53. */
const LONG_DIGITS = /\d{16}/;

/**
 * JSON text of a value, with bigints as bare integers, and a float whose value is an integer
 * beyond 2^53 with an exponent (`1e+20`), so that an exact reader (exact-json.ts) gives back the
 * same value. Same output as `JSON.stringify` otherwise.
 */
export function valueToJson(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    if (!LONG_DIGITS.test(text)) return text;
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
  }
  return write(value) ?? 'null';
}

/** JSON.stringify's rules, by hand, plus bigints; undefined where JSON.stringify omits the value. */
function write(v: unknown): string | undefined {
  switch (typeof v) {
    case 'bigint':
      return v.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object': {
      if (v === null) return 'null';
      const toJSON = (v as { toJSON?: () => unknown }).toJSON;
      if (typeof toJSON === 'function') return write(toJSON.call(v));
      if (Array.isArray(v)) return `[${v.map((x) => write(x) ?? 'null').join(',')}]`;
      const parts: string[] = [];
      for (const k of Object.keys(v)) {
        const x = write((v as Record<string, unknown>)[k]);
        if (x !== undefined) parts.push(`${JSON.stringify(k)}:${x}`);
      }
      return `{${parts.join(',')}}`;
    }
    case 'number':
      return Number.isInteger(v) && !Number.isSafeInteger(v) ? v.toExponential() : JSON.stringify(v);
    default:
      return JSON.stringify(v);
  }
}

/**
 * The value with every bigint replaced by the string of its digits, so `JSON.stringify` can write
 * it. Copies only the containers that hold a bigint: the input is never changed, and a value
 * without bigints comes back as the same object.
 */
export function jsonSafe<T>(value: T): T {
  return safe(value) as T;
}

function safe(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = safe(v[i]);
      if (x !== v[i]) (out ??= v.slice())[i] = x;
    }
    return out ?? v;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return v;
  let out: Record<string, unknown> | undefined;
  for (const k of Object.keys(v)) {
    const before = (v as Record<string, unknown>)[k];
    const x = safe(before);
    if (x !== before) {
      out ??= { ...(v as Record<string, unknown>) };
      // `{...}` keeps a key named __proto__ as data; plain assignment would not.
      Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    }
  }
  return out ?? v;
}
