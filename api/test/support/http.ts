import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/** A corpus file's bytes (histories/ at the repository root). */
/** A linearizable register history: a write of 1, then a read of it. */
export const WRITE_THEN_READ = [
  { process: 0, type: 'invoke', f: 'write', value: 1 },
  { process: 0, type: 'ok', f: 'write', value: 1 },
  { process: 1, type: 'invoke', f: 'read', value: null },
  { process: 1, type: 'ok', f: 'read', value: 1 },
];

export function corpus(path: string): Buffer {
  return readFileSync(new URL(`../../../histories/${path}`, import.meta.url));
}

export function gzip(data: Buffer | string): Buffer {
  return gzipSync(data);
}

/** A multipart/form-data body: fields in order, then files. */
export function multipart(parts: { name: string; value: string | Buffer; filename?: string; type?: string }[]): { body: Buffer; contentType: string } {
  const boundary = `----verdict-test-${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    const type = p.filename !== undefined ? `\r\nContent-Type: ${p.type ?? 'application/octet-stream'}` : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}${type}\r\n\r\n`), Buffer.from(p.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The events of a server-sent event stream, in order. */
export function sseEvents(text: string): { event: string; data: unknown }[] {
  return text.split('\n\n').map((frame) => ({
    event: /^event: (.*)$/m.exec(frame)?.[1],
    data: /^data: (.*)$/m.exec(frame)?.[1],
  })).filter((f): f is { event: string; data: string } => f.event !== undefined && f.data !== undefined)
    .map((f) => ({ event: f.event, data: JSON.parse(f.data) as unknown }));
}
