/**
 * One parse of one history file, in a fresh process (the parsing bench spawns it, so each figure
 * is a process as a user runs it, not a warm loop), building the same history every way:
 * - `verdict`: `readHistoryFile`, as `verdict check` reads (blocking reads, the paired operations, no raw ops);
 * - `edn-data`: the general EDN library Verdict read EDN with before its own reader, line by line
 *   as it did, then the same op records and pairing: the previous reader, side by side;
 * - `json-parse`: a bare `JSON.parse` a line, then the same op records and pairing: the floor for
 *   JSONL, and the price of reading integers exactly and bounding nesting.
 * Prints one JSON line: the parse's wall and CPU time, the operations built, peak RSS.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { opFromRecord } from '../../checker/src/history/op-record.js';
import { OpSink } from '../../checker/src/history/op-sink.js';
import { readHistoryFile } from '../../checker/src/index.js';
import { ednDataValues } from '../../checker/test/support/edn-oracle.js';
import { peakRssMiB } from './rss.js';

const [file, mode] = process.argv.slice(2) as [string, 'verdict' | 'edn-data' | 'json-parse'];
const wallStart = performance.now();
const cpuStart = process.cpuUsage();
let operations = 0;
if (mode === 'verdict') {
  operations = (await readHistoryFile(file, { keepOps: false, blocking: true })).operations.length;
} else {
  const sink = new OpSink({ source: file, format: mode === 'edn-data' ? 'edn' : 'jsonl', keepOps: false });
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity })) {
    line++;
    if (text.length === 0) continue;
    const records = mode === 'json-parse' ? [JSON.parse(text) as unknown] : ednDataValues(text);
    for (const record of records) sink.add(opFromRecord(record, { source: file, line }));
  }
  operations = sink.finish().operations.length;
}
const cpu = process.cpuUsage(cpuStart);
console.log(JSON.stringify({ wallMs: performance.now() - wallStart, cpuMs: (cpu.user + cpu.system) / 1000, ops: operations, peakRssMiB: peakRssMiB() }));
