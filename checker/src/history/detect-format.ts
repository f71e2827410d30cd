import { VerdictError } from '../errors.js';
import type { HistoryFormat } from './op.js';

/** How much of the input `detectFormat` needs to see: its first lines. */
export const DETECT_SAMPLE_CHARS = 64 * 1024;
const SIGNIFICANT_LINES_MAX = 20;

const ETCD_OP_LINE = /\bjepsen\.util(?:\s+-|:)\s+\S+\s+:(?:invoke|ok|fail|info)\s+:/;
const KV_FUNCTION = /:f\s+:(?:get|put|append)\b/;
const KV_KEY = /:key[\s,]/;

const BY_EXTENSION: Record<string, HistoryFormat> = {
  edn: 'edn',
  json: 'json',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  log: 'porcupine-etcd',
};

/**
 * The format of a history from its first lines (`sample`), with the file name's extension as a
 * hint for what content cannot settle. Content wins when it is clear: a `.json` file holding one
 * object a line is JSONL. Porcupine kv lines are EDN maps with `:key`, so a `.edn` file is always
 * read as Jepsen EDN. A trailing `.gz` is ignored (callers decompress).
 * Throws `VRD_ERR_HISTORY_FORMAT` when neither content nor name decides.
 */
export function detectFormat(sample: string, filename?: string): HistoryFormat {
  const hint = formatFromName(filename);
  const lines = significantLines(sample);
  if (lines.some((l) => ETCD_OP_LINE.test(l))) return 'porcupine-etcd';
  const sawComment = lines.length > 0 && lines[0]!.startsWith(';');
  const first = lines.find((l) => !l.startsWith(';'));
  if (first === undefined) {
    if (sawComment) return 'edn';
    if (hint !== undefined) return hint;
    throw new VerdictError('VRD_ERR_HISTORY_FORMAT', 'the input is empty', { file: filename });
  }
  switch (first[0]) {
    case '{': {
      const next = first.slice(1).trimStart()[0];
      if (next === '"' || next === '}') return 'jsonl';
      if (next === ':') return hint !== 'edn' && KV_KEY.test(first) && KV_FUNCTION.test(first) ? 'porcupine-kv' : 'edn';
      break;
    }
    case '[': {
      // A JSON array and an EDN vector differ in their first element: `{"` against `{:`.
      const rest = lines.slice(lines.indexOf(first)).join('\n').slice(1).trimStart();
      if (rest.startsWith('{')) {
        const key = rest.slice(1).trimStart()[0];
        if (key === '"') return 'json';
        if (key === ':') return 'edn';
      }
      if (hint === 'json' || hint === 'edn') return hint;
      return rest.includes('"type"') ? 'json' : 'edn';
    }
    case '(':
      return 'edn';
  }
  if (hint !== undefined) return hint;
  throw new VerdictError('VRD_ERR_HISTORY_FORMAT',
    `cannot tell the format from the first line (${JSON.stringify(first.slice(0, 40))}); name it: edn, json, jsonl, porcupine-etcd or porcupine-kv`, { file: filename });
}

function formatFromName(filename: string | undefined): HistoryFormat | undefined {
  if (filename === undefined) return undefined;
  const name = filename.toLowerCase().replace(/\.gz$/, '');
  const dot = name.lastIndexOf('.');
  return dot === -1 ? undefined : BY_EXTENSION[name.slice(dot + 1)];
}

/** The first non-blank lines, trimmed; EDN comment lines are kept (they start with `;`). */
function significantLines(sample: string): string[] {
  const out: string[] = [];
  let start = sample.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start < sample.length && out.length < SIGNIFICANT_LINES_MAX) {
    let end = sample.indexOf('\n', start);
    if (end === -1) end = sample.length;
    const line = sample.slice(start, end).trim();
    if (line.length > 0) out.push(line);
    start = end + 1;
  }
  return out;
}
