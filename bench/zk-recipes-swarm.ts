/**
 * `node --conditions=source --import tsx bench/zk-recipes-swarm.ts [RUNS] [FIRST_SEED]`: the
 * correct ZooKeeper recipes (zk-lock, zk-counter, zk-latch and zk-barrier in turn) one seeded run after another,
 * each under the next nemesis of a rotation that mixes partitions, leader isolation, crashes and
 * clock skew, 200 to 600 operations each. Prints one line per run and a total; exits 1 when any
 * run is not judged ok (a violation is a false alarm here, and unknown is never a pass).
 */
import { run } from '@verdict/workers';

const NEMESES = ['mixed', 'partition-halves', 'isolate-leader', 'crash-leader', 'partition-majority-ring', 'crash-minority', 'bridge', 'clock-skew'];
const PROTOCOLS = ['zk-lock', 'zk-counter', 'zk-latch', 'zk-barrier'];

const runs = Number(process.argv[2] ?? 300);
const first = Number(process.argv[3] ?? 1);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(first)) {
  console.error('usage: zk-recipes-swarm.ts [RUNS ≥ 1] [FIRST_SEED]');
  process.exit(64);
}

const started = performance.now();
const tally: Record<string, number> = {};
let alarms = 0;
for (let i = 0; i < runs; i++) {
  const seed = first + i;
  const protocol = PROTOCOLS[i % PROTOCOLS.length]!;
  const nemesis = NEMESES[Math.floor(i / PROTOCOLS.length) % NEMESES.length]!;
  const ops = 200 + ((seed * 2654435761) >>> 0) % 401;
  const r = await run({ protocol, nemesis, seed, ops });
  const outcome = r.report.verdict.outcome;
  tally[`${protocol} ${outcome}`] = (tally[`${protocol} ${outcome}`] ?? 0) + 1;
  const info = r.history.operations.filter((o) => o.status === 'info').length;
  console.log(`${protocol} ${nemesis} seed ${seed} ops ${ops}: ${outcome} (${info} info) ${Math.round(r.facts.wallMs.simulate + r.facts.wallMs.check)} ms`);
  if (outcome !== 'ok') {
    alarms++;
    console.log(`  ${r.headline}\n  reproduce: ${r.facts.reproduce}`);
  }
}
console.log(`${runs} runs, ${alarms} not ok; ${Object.entries(tally).map(([k, n]) => `${k} ${n}`).join(', ')}; wall ${Math.round((performance.now() - started) / 1000)} s`);
process.exit(alarms === 0 ? 0 : 1);
