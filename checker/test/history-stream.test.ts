import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHistory, parseHistory, readHistoryFile, readHistoryStream, type History } from '../src/index.js';

const OPS_TOTAL = 200_000;
const PROCESSES = 16;

/** Line `i` of a generated register history: each process alternates invoke and ok. */
function generatedLine(i: number): string {
  const pair = i >> 1;
  const process = pair % PROCESSES;
  const f = pair % 3 === 0 ? 'write' : 'read';
  const type = i % 2 === 0 ? 'invoke' : 'ok';
  const value = f === 'write' || type === 'ok' ? pair : null;
  return JSON.stringify({ index: i, time: i * 1000, process, type, f, value });
}

/** The operations, comparable across reads (the parse order and values are what matter). */
const fingerprint = (h: History): string => JSON.stringify(h.operations);

describe('streamed history reads', () => {
  let dir: string;
  let path: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'verdict-history-'));
    path = join(dir, 'big.jsonl');
    const out = createWriteStream(path);
    let chunk = '';
    for (let i = 0; i < OPS_TOTAL; i++) {
      chunk += `${generatedLine(i)}\n`;
      if (chunk.length > 1 << 20) {
        if (!out.write(chunk)) await once(out, 'drain');
        chunk = '';
      }
    }
    out.end(chunk);
    await once(out, 'finish');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a 200k-op JSONL file line by line, matching the in-memory parse', async () => {
    const streamed = await readHistoryFile(path);
    const inMemory = parseHistory(readFileSync(path, 'utf8'), { source: path });
    expect(streamed.format).toBe('jsonl');
    expect(streamed.source).toBe(path);
    expect(streamed.ops).toHaveLength(OPS_TOTAL);
    expect(streamed.operations).toHaveLength(OPS_TOTAL / 2);
    expect(streamed.ops[OPS_TOTAL - 1]!.line).toBe(OPS_TOTAL);
    expect(fingerprint(streamed)).toBe(fingerprint(inMemory));
  });

  it('keeps only the paired operations with keepOps: false', async () => {
    const lean = await readHistoryFile(path, { keepOps: false });
    const full = await readHistoryFile(path);
    expect(lean.ops).toHaveLength(0);
    expect(fingerprint(lean)).toBe(fingerprint(full));
  });

  it('a report counts the same events whether the raw ops were kept or not', async () => {
    // An info completion, an invocation left open by the end, and a fault: each counts as read.
    const text = ['{"process":0,"type":"invoke","f":"write","value":1}', '{"process":0,"type":"info","f":"write","value":1}',
      '{"process":"nemesis","type":"info","f":"start","value":null}', '{"process":1,"type":"invoke","f":"read","value":null}'].join('\n');
    for (const keepOps of [true, false]) {
      const report = await checkHistory(parseHistory(text, { format: 'jsonl', keepOps }), { model: 'register' });
      expect(report.history).toMatchObject({ events: 4, operations: 2, faults: 1 });
    }
  });

  it('stops at the first bad line without reading the rest of an endless stream', async () => {
    let chunksRead = 0;
    async function* endless(): AsyncGenerator<Buffer> {
      for (let i = 0; ; i++) {
        chunksRead++;
        yield Buffer.from(i === 3 ? '{"process": 1, "type": "okay", "f": "read", "value": null}\n' : `${generatedLine(2 * i)}\n${generatedLine(2 * i + 1)}\n`);
      }
    }
    await expect(readHistoryStream(Readable.from(endless()), { format: 'jsonl', source: 'upload.jsonl' })).rejects.toMatchObject({
      code: 'VRD_ERR_HISTORY_FIELD',
      location: { file: 'upload.jsonl', line: 7, field: 'type' },
    });
    // Only the stream's own read-ahead is consumed past the bad line.
    expect(chunksRead).toBeLessThan(50);
  });

  it('joins lines and UTF-8 characters split across chunks', async () => {
    const text = `${JSON.stringify({ process: 0, type: 'invoke', f: 'write', value: 'héllo ✓ 𝄞' })}\n${JSON.stringify({ process: 0, type: 'ok', f: 'write', value: 'héllo ✓ 𝄞' })}\n`;
    const bytes = Buffer.from(text);
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 5) chunks.push(bytes.subarray(i, i + 5));
    const h = await readHistoryStream(Readable.from(chunks), { source: 'upload.jsonl' });
    expect(h.operations[0]).toMatchObject({ input: 'héllo ✓ 𝄞', output: 'héllo ✓ 𝄞', status: 'ok' });
  });

  it('reads a stream of a named format whose first chunk is only blank lines', async () => {
    const chunks = ['\n', '\n{"process": 0, "type": "invoke", "f": "read", "value": null}\n', '{"process": 0, "type": "ok", "f": "read", "value": 1}\n'];
    const h = await readHistoryStream(Readable.from(chunks.map((c) => Buffer.from(c))), { format: 'jsonl', source: 'upload' });
    expect(h.operations[0]).toMatchObject({ f: 'read', output: 1, status: 'ok' });
    expect(h.ops[0]!.line).toBe(3);
  });

  it('detects the format of a stream from its first chunks and reads EDN in small pieces', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 4000; i++) lines.push(`{:process ${(i >> 1) % 8}, :type :${i % 2 === 0 ? 'invoke' : 'ok'}, :f :txn, :value [[:append ${i >> 1} ${i}] [:r ${i >> 1} nil]], :time ${i}}`);
    const text = `; an Elle-style history\n[${lines.join('\n ')}]\n`;
    const pieces: string[] = [];
    for (let i = 0; i < text.length; i += 997) pieces.push(text.slice(i, i + 997));
    const h = await readHistoryStream(Readable.from(pieces.map((p) => Buffer.from(p))), { source: 'history.edn' });
    expect(h.format).toBe('edn');
    expect(fingerprint(h)).toBe(fingerprint(parseHistory(text)));
    expect(h.ops[3999]!.line).toBe(4001);
  });

  it('reads a file with blocking reads exactly as the stream does (a multi-byte character across chunks too)', async () => {
    // 1 MiB chunks either way: "é" (2 bytes) straddles the first chunk boundary, then a kv log.
    const utf8 = join(dir, 'straddle.jsonl');
    const opening = '{"process": 0, "type": "invoke", "f": "write", "value": "';
    const first = `${opening}${'a'.repeat(1024 * 1024 - 1 - opening.length)}é"}\n`;
    expect(Buffer.from(first).indexOf('é')).toBe(1024 * 1024 - 1);
    writeFileSync(utf8, `${first}{"process": 0, "type": "ok", "f": "write", "value": "é"}\n`);
    const kv = new URL('../../histories/porcupine/kv/c10-bad.txt', import.meta.url).pathname;
    const etcd = new URL('../../histories/porcupine/jepsen/etcd_002.log', import.meta.url).pathname;
    for (const file of [path, utf8, kv, etcd]) {
      const blocking = await readHistoryFile(file, { blocking: true, keepOps: false });
      const streamed = await readHistoryFile(file, { keepOps: false });
      expect(blocking.format).toBe(streamed.format);
      expect(blocking.source).toBe(file);
      expect(fingerprint(blocking)).toBe(fingerprint(streamed));
    }
    // Not a regular file: the stream reads it, with the stream's errors.
    await expect(readHistoryFile(dir, { blocking: true })).rejects.toMatchObject({ code: 'EISDIR' });
    await expect(readHistoryFile(join(dir, 'missing.jsonl'), { blocking: true })).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('decompresses a .gz file on the way, detecting the format from the name without .gz', async () => {
    const gz = join(dir, 'small.edn.gz');
    writeFileSync(gz, gzipSync('{:process 0 :type :invoke :f :read :value nil}\n{:process 0 :type :ok :f :read :value 3}\n'));
    const h = await readHistoryFile(gz);
    expect(h.format).toBe('edn');
    expect(h.operations).toEqual([expect.objectContaining({ f: 'read', output: 3 })]);
    await expect(readHistoryFile(join(dir, 'missing.jsonl.gz'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('rejects a line longer than the limit instead of buffering it', async () => {
    const long = Readable.from([Buffer.from(`{"process": 0, "type": "invoke", "f": "write", "value": "${'x'.repeat(5000)}"}\n`)]);
    await expect(readHistoryStream(long, { format: 'jsonl', lineLengthMax: 1000 })).rejects.toMatchObject({ code: 'VRD_ERR_HISTORY_TOO_LARGE' });
  });

  it('reads past megabytes of leading blanks in linear time (a gzip bomb of spaces)', async () => {
    // 16 KB chunks as a stream delivers them: the blank prefix must not be rescanned per chunk.
    const blank = Buffer.alloc(16 * 1024, ' ');
    const chunks = [...Array.from({ length: 1_280 }, () => blank), Buffer.from('\n{"process": 0, "type": "invoke", "f": "read", "value": null}\n')];
    const started = performance.now();
    const history = await readHistoryStream(Readable.from(chunks), { lineLengthMax: 64 * 1024 * 1024 });
    expect(history.operations).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
