/**
 * One parse of one history file, in a fresh process (the parsing bench spawns it, so each figure
 * is a process as a user runs it, not a warm loop): `verdict` reads it as `verdict check` does;
 * `edn-data` with the general EDN library Verdict used before its own reader (line by line, the
 * way it did), for a side-by-side ratio; `json-parse` with a bare `JSON.parse` a line, the floor
 * for JSONL. Prints one JSON line: the parse's wall and CPU time, the ops read, peak RSS.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { readHistoryFile } from '../../checker/src/index.js';
import { ednDataValues } from '../../checker/test/support/edn-oracle.js';
import { peakRssMiB } from './rss.js';

const [file, mode] = process.argv.slice(2) as [string, 'verdict' | 'edn-data' | 'json-parse'];
const wallStart = performance.now();
const cpuStart = process.cpuUsage();
let ops = 0;
if (mode === 'verdict') {
  const history = await readHistoryFile(file, { keepOps: false });
  ops = history.operations.length;
} else {
  const kept: unknown[] = [];
  for await (const line of createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity })) {
    if (line.length === 0) continue;
    if (mode === 'json-parse') kept.push(JSON.parse(line));
    else kept.push(...ednDataValues(line));
  }
  ops = kept.length;
}
const cpu = process.cpuUsage(cpuStart);
console.log(JSON.stringify({ wallMs: performance.now() - wallStart, cpuMs: (cpu.user + cpu.system) / 1000, ops, peakRssMiB: peakRssMiB() }));
