/**
 * The service under load: 50 clients each upload a small history (raw and multipart in turn),
 * poll its job until it is done, and start again, for 60 s (VERDICT_BENCH_LOAD_S to change it).
 * Reported per request kind: count, p50 and p99 latency, and every error (a non-2xx answer, a
 * failed request, a job that did not end done). Run against a server in its own process.
 */
const CLIENTS = 50;
const POLL_MS = 200;

interface Sample { kind: 'upload' | 'poll' | 'verdict'; ms: number }

/** A linearizable 100-operation register history: sequential write/read pairs on 5 processes. */
function smallHistory(seed: number): string {
  const lines: string[] = [];
  for (let i = 0; i < 50; i++) {
    const p = (seed + i) % 5;
    lines.push(JSON.stringify({ process: p, type: 'invoke', f: 'write', value: i + 1 }), JSON.stringify({ process: p, type: 'ok', f: 'write', value: i + 1 }));
  }
  return `${lines.join('\n')}\n`;
}

function form(text: string): { body: Blob | FormData } {
  const data = new FormData();
  data.set('model', 'register');
  data.set('init', '0');
  data.set('history', new Blob([text], { type: 'application/x-ndjson' }), 'load.jsonl');
  return { body: data };
}

export async function loadTest(label: string, url: string, token: string): Promise<void> {
  const seconds = Number(process.env.VERDICT_BENCH_LOAD_S ?? 60);
  const deadline = performance.now() + seconds * 1000;
  const samples: Sample[] = [];
  const errors = new Map<string, number>();
  const error = (what: string): void => {
    errors.set(what, (errors.get(what) ?? 0) + 1);
  };
  const auth = { authorization: `Bearer ${token}` };
  let jobsDone = 0;
  const client = async (n: number): Promise<void> => {
    for (let round = 0; performance.now() < deadline; round++) {
      const text = smallHistory(n + round);
      const started = performance.now();
      let id: string;
      try {
        const res = round % 2 === 0
          ? await fetch(`${url}/jobs?model=register&init=0&format=jsonl`, { method: 'POST', headers: { ...auth, 'content-type': 'application/x-ndjson' }, body: text })
          : await fetch(`${url}/jobs`, { method: 'POST', headers: auth, ...form(text) });
        const body = (await res.json()) as { id?: string };
        samples.push({ kind: 'upload', ms: performance.now() - started });
        if (res.status !== 202 || body.id === undefined) {
          error(`upload answered ${res.status}`);
          continue;
        }
        id = body.id;
      } catch (e) {
        error(`upload failed: ${(e as Error).message}`);
        continue;
      }
      for (;;) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        const polled = performance.now();
        try {
          const res = await fetch(`${url}/jobs/${id}`, { headers: auth });
          const job = (await res.json()) as { status?: string; outcome?: string };
          samples.push({ kind: 'poll', ms: performance.now() - polled });
          if (res.status !== 200) {
            error(`poll answered ${res.status}`);
            break;
          }
          if (job.status === 'done' || job.status === 'failed' || job.status === 'cancelled') {
            if (job.status !== 'done' || job.outcome !== 'ok') error(`job ended ${job.status}/${job.outcome ?? '-'}`);
            else {
              jobsDone++;
              samples.push({ kind: 'verdict', ms: performance.now() - started });
            }
            break;
          }
        } catch (e) {
          error(`poll failed: ${(e as Error).message}`);
          break;
        }
        // A job still running when the time is up is waited for (it was accepted: it must end).
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
  const elapsedS = (performance.now() - started) / 1000;
  console.log(`load, ${label}: ${CLIENTS} clients uploading (raw and multipart in turn) and polling for ${seconds} s (ran ${elapsedS.toFixed(0)} s):`);
  for (const kind of ['upload', 'poll', 'verdict'] as const) {
    const ms = samples.filter((s) => s.kind === kind).map((s) => s.ms).sort((a, b) => a - b);
    if (ms.length === 0) continue;
    const at = (q: number): string => ms[Math.min(ms.length - 1, Math.floor(ms.length * q))]!.toFixed(0);
    console.log(`  ${kind.padEnd(8)} ${String(ms.length).padStart(6)}  p50 ${at(0.5)} ms  p99 ${at(0.99)} ms  max ${ms.at(-1)!.toFixed(0)} ms`);
  }
  const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
  console.log(`  ${jobsDone} jobs done (${(jobsDone / elapsedS).toFixed(1)}/s); errors: ${errorCount}${errorCount > 0 ? ` (${[...errors].map(([k, v]) => `${v} × ${k}`).join(', ')})` : ''}`);
}
