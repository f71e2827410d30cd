import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderFailure, renderSummary } from '../src/swarm/summary.js';
import { runSwarm } from '../src/swarm/swarm.js';

/**
 * CI's sample of the swarm: fresh runs on every CI run (the root seed comes from the operating
 * system, outside any simulator, and is printed first), bounded by time. A violation or a failed
 * run fails the test with the command that replays it. VERDICT_SWARM_SEED replays a sample,
 * VERDICT_SWARM_SECONDS changes its budget (default 90 s; runs under way finish).
 */
const seed = process.env.VERDICT_SWARM_SEED !== undefined ? Number(process.env.VERDICT_SWARM_SEED) : randomInt(0, 2 ** 31);
const seconds = Number(process.env.VERDICT_SWARM_SECONDS ?? 90);

describe('the swarm, a bounded sample on fresh seeds', () => {
  it(`finds no violation of any correct protocol (root seed ${seed}, ${seconds} s)`, async () => {
    console.log(`swarm sample: root seed ${seed} (replay: VERDICT_SWARM_SEED=${seed}, or verdict run --swarm --seed ${seed})`);
    const result = await runSwarm({ seed, timeS: seconds });
    console.log(`${renderSummary(result.summary)}\n${result.summary.total.runs} runs, ${result.summary.total.ops} ops in ${(result.wallMs / 1000).toFixed(1)} s`);
    const failures = result.failures.filter((o) => o.outcome === 'violated' || o.outcome === 'error');
    expect(failures.map(renderFailure).join('\n'), `root seed ${seed}`).toBe('');
    expect(result.summary.total.runs).toBeGreaterThan(0);
  }, 300_000);
});
