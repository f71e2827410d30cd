import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './support/test-app.js';

/**
 * Embedded mode (no Redis) runs jobs in the API's process: on worker threads, so a 200,000-op
 * protocol run leaves the API answering at once, its progress reaches a follower, and a cancel
 * stops it within a second.
 */
describe('embedded jobs run off the API event loop', () => {
  let t: TestApp;
  let auth: string;
  let base: string;

  beforeAll(async () => {
    t = await testApp('embedded_off_loop', { concurrency: 1, reconcileMs: 3_600_000 }, 'embedded');
    auth = await t.token(['submit']);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });
  afterAll(async () => {
    await t?.close();
  });

  const timed = async (path: string): Promise<{ status: number; ms: number }> => {
    const started = performance.now();
    const res = await fetch(`${base}${path}`, { headers: { authorization: auth } });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - started };
  };

  it('answers /healthz quickly while a 200,000-op run works, streams its progress, and stops it on cancel within 1 s', async () => {
    const submitted = await fetch(`${base}/jobs`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ protocol: 'paxos', seed: 7, ops: 200_000 }),
    });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    try {
      await followRunAndCancel(id);
    } finally {
      // A failed assertion must not leave the run going: closing the app would wait for it.
      await fetch(`${base}/jobs/${id}`, { method: 'DELETE', headers: { authorization: auth } }).catch(() => undefined);
    }
  }, 120_000);

  async function followRunAndCancel(id: string): Promise<void> {
    // Follow it: a progress event must arrive while it runs.
    const events = new AbortController();
    const stream = await fetch(`${base}/jobs/${id}/events`, { headers: { authorization: auth }, signal: events.signal });
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const deadline = Date.now() + 60_000;
    while (!/event: progress\ndata: .*"phase":"simulating/.test(text) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toMatch(/event: progress\ndata: .*"phase":"simulating/);

    // The loop is free: requests answer in milliseconds while the thread simulates (before the
    // threads, /healthz took 4 s and GET /jobs/:id 19 s). The median is held to 50 ms; the slowest
    // tenth only to 250 ms, as this machine is shared and sometimes loaded far past its cores.
    const health: number[] = [];
    const reads: number[] = [];
    for (let i = 0; i < 20; i++) {
      const h = await timed('/healthz');
      expect(h.status).toBe(200);
      health.push(h.ms);
      const job = await timed(`/jobs/${id}`);
      expect(job.status).toBe(200);
      reads.push(job.ms);
      await new Promise((r) => setTimeout(r, 50));
    }
    // /healthz is the figure (under 50 ms); a job read goes through its row and JSON too.
    for (const [what, samples, medianMs] of [['/healthz', health, 50], ['GET /jobs/:id', reads, 100]] as const) {
      const sorted = [...samples].sort((a, b) => a - b);
      const shown = `${what} latencies ${sorted.map((s) => s.toFixed(1)).join(' ')}`;
      expect(sorted[Math.floor(sorted.length / 2)]!, shown).toBeLessThan(medianMs);
      expect(sorted[Math.floor(sorted.length * 0.9)]!, shown).toBeLessThan(250);
    }
    expect((await t.dispatch.counts()).active).toBe(1);

    const cancelledAt = performance.now();
    const cancel = await fetch(`${base}/jobs/${id}`, { method: 'DELETE', headers: { authorization: auth } });
    expect(cancel.status).toBe(200);
    while ((await t.dispatch.counts()).active > 0 && performance.now() - cancelledAt < 5_000) await new Promise((r) => setTimeout(r, 10));
    expect(performance.now() - cancelledAt).toBeLessThan(1_000);
    events.abort();
    const job = (await (await fetch(`${base}/jobs/${id}`, { headers: { authorization: auth } })).json()) as Record<string, unknown>;
    expect(job).toMatchObject({ status: 'cancelled', outcome: null });
    // The thread is gone: the process is near idle.
    const cpu = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 1_000));
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(400);
  }

  it('reports a check and a run done on a thread as before, with errors matched by code', async () => {
    const check = await fetch(`${base}/jobs?model=register&init=0`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify([
        { process: 0, type: 'invoke', f: 'write', value: 1 },
        { process: 0, type: 'ok', f: 'write', value: 1 },
        { process: 1, type: 'invoke', f: 'read', value: null },
        { process: 1, type: 'ok', f: 'read', value: 2 },
      ]),
    });
    const run = await fetch(`${base}/jobs`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ protocol: '2pc', seed: 3, ops: 200 }) });
    // A model the checker refuses fails the job with the checker's code, not an internal error.
    const badModel = await fetch(`${base}/jobs?model=register&init=${encodeURIComponent('[1]')}`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify([{ process: 0, type: 'invoke', f: 'cas', value: [1, 2] }, { process: 0, type: 'ok', f: 'cas', value: [1, 2] }]),
    });
    const ids = await Promise.all([check, run, badModel].map(async (r) => {
      expect(r.status).toBe(202);
      return ((await r.json()) as { id: string }).id;
    }));
    const finished: Record<string, unknown>[] = [];
    for (const id of ids) {
      for (let i = 0; i < 600; i++) {
        const job = (await (await fetch(`${base}/jobs/${id}`, { headers: { authorization: auth } })).json()) as Record<string, unknown>;
        if (['done', 'failed', 'cancelled'].includes(String(job.status))) {
          finished.push(job);
          break;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(finished[0]).toMatchObject({ status: 'done', outcome: 'violated' });
    expect(finished[1]).toMatchObject({ status: 'done', protocol: '2pc' });
    expect(finished[2]).toMatchObject({ status: 'failed' });
    expect(String((finished[2]!.error as { code: string }).code)).toMatch(/^VRD_ERR_(MODEL|HISTORY)_/);
  }, 120_000);
});
