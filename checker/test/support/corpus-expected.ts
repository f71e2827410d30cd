import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The corpus folder at the repository root. */
export const HISTORIES_DIR = fileURLToPath(new URL('../../../histories/', import.meta.url));

/** One row of an `EXPECTED.tsv`, keyed by its header; `file` is relative to the TSV's folder. */
export type ExpectedRow = Record<string, string> & { file: string };

/** The rows of `histories/<folder>/EXPECTED.tsv`: `#` lines are comments, the first other line the header. */
export function expectedRows(folder: string): ExpectedRow[] {
  const lines = readFileSync(`${HISTORIES_DIR}${folder}/EXPECTED.tsv`, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0 && !l.startsWith('#'));
  const [header, ...rows] = lines.map((l) => l.split('\t'));
  if (header === undefined || header[0] !== 'file') throw new Error(`${folder}/EXPECTED.tsv has no header row`);
  return rows.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])) as ExpectedRow);
}

/** Absolute path of a corpus file named by a row of `folder`'s EXPECTED.tsv. */
export function corpusPath(folder: string, file: string): string {
  return `${HISTORIES_DIR}${folder}/${file}`;
}
