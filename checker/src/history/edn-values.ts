import { EdnReader } from './edn-reader.js';

/**
 * Reads exactly one EDN value from a short text (a Porcupine log's value column, such as `[1 2]`).
 * Throws a `VRD_ERR_HISTORY_PARSE` error for malformed text (`_TOO_DEEP` past `depthMax`), and a plain Error
 * when the text holds no value or more than one.
 */
export function parseEdnValue(text: string, depthMax?: number): unknown {
  const values: unknown[] = [];
  const reader = new EdnReader((v) => values.push(v), { outer: 'values', depthMax });
  reader.push(text);
  reader.end();
  if (values.length !== 1) throw new Error(`not one EDN value: ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`);
  return values[0];
}
