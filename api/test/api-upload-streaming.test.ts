import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gzip, multipart } from './support/http.js';
import { testApp, type TestApp } from './support/test-app.js';

/**
 * Uploads over a real socket (not inject): large multipart forms stream through, a client that
 * leaves mid-upload costs nothing (no crash, no row), and a gzip bomb is refused within a second
 * with its decompression really stopped.
 */

/** A sequential register history of `bytes` or more as JSONL: quick to check, however long. */
function sequentialHistory(bytes: number): Buffer {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    for (const line of [
      { process: 0, type: 'invoke', f: 'write', value: i },
      { process: 0, type: 'ok', f: 'write', value: i },
    ]) {
      const text = JSON.stringify(line);
      lines.push(text);
      size += text.length + 1;
    }
  }
  return Buffer.from(lines.join('\n') + '\n');
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  ms: number;
}

function send(url: string, auth: string, body: Buffer, headers: Record<string, string>): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { authorization: auth, 'content-length': String(body.length), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown>, ms: performance.now() - started }));
    });
    // The server may answer (413) and close before the whole body is sent: that is the point.
    req.on('error', (e) => reject(e));
    req.end(body);
  });
}

describe('uploads over a socket', () => {
  let t: TestApp;
  let auth: string;
  let base: string;
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown): void => {
    uncaught.push(e);
  };

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    t = await testApp('api_upload_stream', { concurrency: 1, reconcileMs: 3_600_000 }, 'embedded');
    auth = await t.token(['submit', 'read']);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });
  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    await t?.close();
  });

  const jobCount = () => t.db.prisma.job.count();

  // The bomb first: the big uploads' jobs would share the CPU with it.
  it('refuses a gzip bomb within a second by its ratio, and stops inflating it', async () => {
    // 80 MB of spaces in about 80 KB: the bomb.
    const bomb = gzip(Buffer.alloc(80 * 1024 * 1024, ' '));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const before = await jobCount();
    const form = multipart([{ name: 'history', value: bomb, filename: 'bomb.jsonl.gz' }]);
    const attempts: [string, Record<string, string>, Buffer][] = [
      ['content-encoding', { 'content-type': 'text/plain', 'content-encoding': 'gzip' }, bomb],
      ['gzip file', { 'content-type': 'application/gzip' }, bomb],
      ['multipart gzip file', { 'content-type': form.contentType }, form.body],
    ];
    for (const [what, headers, body] of attempts) {
      const answer = await send(`${base}/jobs?format=jsonl`, auth, body, headers);
      expect(answer.status, `${what}: ${JSON.stringify(answer.body)}`).toBe(413);
      expect(answer.body).toMatchObject({ code: 'VRD_ERR_API_TOO_LARGE' });
      expect(String(answer.body.message)).toMatch(/times its compressed size/);
      expect(answer.ms, what).toBeLessThan(1_000);
    }
    // Nothing keeps inflating once answered: the process is close to idle afterwards.
    await new Promise((r) => setTimeout(r, 200));
    const cpu = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 1_000));
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(400);
    expect(await jobCount()).toBe(before);
    expect(uncaught).toEqual([]);
  });

  it('survives clients that leave mid-upload, with nothing stored', async () => {
    const before = await jobCount();
    const history = sequentialHistory(2 * 1024 * 1024);
    const form = multipart([{ name: 'history', value: history, filename: 'gone.jsonl' }]);
    const uploads: [string, Buffer][] = [
      [`Content-Type: ${form.contentType}`, form.body],
      ['Content-Type: application/x-ndjson', history],
      [`Content-Type: ${form.contentType}\r\nContent-Encoding: gzip`, gzip(form.body)],
    ];
    for (const [headers, body] of uploads) {
      await new Promise<void>((resolve, reject) => {
        const socket = connect(Number(new URL(base).port), '127.0.0.1', () => {
          socket.write(`POST /jobs?model=register HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\n${headers}\r\nContent-Length: ${body.length}\r\n\r\n`);
          socket.write(body.subarray(0, Math.floor(body.length / 3)), () => setTimeout(() => {
            socket.resetAndDestroy();
            resolve();
          }, 100));
        });
        socket.on('error', reject);
      });
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(uncaught).toEqual([]);
    const health = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(await jobCount()).toBe(before);
  });

  it('takes a 5 MB multipart upload (and a raw one) in seconds', async () => {
    const history = sequentialHistory(5 * 1024 * 1024);
    const form = multipart([{ name: 'model', value: 'register' }, { name: 'init', value: '0' }, { name: 'history', value: history, filename: 'big.jsonl' }]);
    const viaForm = await send(`${base}/jobs`, auth, form.body, { 'content-type': form.contentType });
    expect(viaForm.status, JSON.stringify(viaForm.body)).toBe(202);
    expect(viaForm.body.spec).toMatchObject({ source: 'big.jsonl', format: 'jsonl', model: 'register' });
    expect(viaForm.ms).toBeLessThan(20_000);
    const gzipped = multipart([{ name: 'model', value: 'register' }, { name: 'history', value: gzip(history), filename: 'big.jsonl.gz' }]);
    const viaGzipForm = await send(`${base}/jobs?init=0`, auth, gzipped.body, { 'content-type': gzipped.contentType });
    expect(viaGzipForm.status, JSON.stringify(viaGzipForm.body)).toBe(202);
    const encodedForm = await send(`${base}/jobs?init=0`, auth, gzip(form.body), { 'content-type': form.contentType, 'content-encoding': 'gzip' });
    expect(encodedForm.status, JSON.stringify(encodedForm.body)).toBe(202);
    const raw = await send(`${base}/jobs?model=register&init=0`, auth, history, { 'content-type': 'application/x-ndjson' });
    expect(raw.status, JSON.stringify(raw.body)).toBe(202);
  });

  it('refuses a history that decompresses past the size limit even at a modest ratio', async () => {
    const small = await testApp('api_upload_limit', { historyBytesMax: 2 * 1024 * 1024 }, 'embedded');
    try {
      const token = await small.token(['submit']);
      const res = await small.app.inject({ method: 'POST', url: '/jobs?model=register&init=0', headers: { authorization: token, 'content-type': 'application/gzip' }, payload: gzip(sequentialHistory(3 * 1024 * 1024)) });
      expect(res.statusCode, res.body).toBe(413);
      expect(res.json().message).toMatch(/bytes decompressed/);
    } finally {
      await small.close();
    }
  });
});
