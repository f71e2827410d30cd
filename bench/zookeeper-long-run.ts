/**
 * `node --conditions=source --import tsx bench/zookeeper-long-run.ts [RUNS] [FIRST_SEED] [READS]`:
 * a long run of the correct ZooKeeper protocol under the mixed nemesis, one seeded run after
 * another (seed s, then s + 1, ...), each with its own length of up to 20,000 operations. With
 * `--reads sync` (the default here) every run must be linearizable; with `local`, sequentially
 * consistent and keeping every session guarantee (ZooKeeper promises no more for local reads);
 * either way ZooKeeper's writes alone must be linearizable (the `zookeeper-writes` invariant).
 * Prints one line per run and exits 1 when any run breaks what ZooKeeper promises, or a check
 * gives up (unknown is never a pass).
 */
import { run } from '@verdict/workers';

const OPS_MIN = 500;
const OPS_MAX = 20_000;

const runs = Number(process.argv[2] ?? 500);
const first = Number(process.argv[3] ?? 1);
const reads = process.argv[4] ?? 'sync';
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(first) || (reads !== 'sync' && reads !== 'local')) {
  console.error('usage: zookeeper-long-run.ts [RUNS ≥ 1] [FIRST_SEED] [sync|local]');
  process.exit(64);
}

/** Lengths spread over [OPS_MIN, OPS_MAX], most runs short, some long: a fixed function of the seed. */
function opsFor(seed: number): number {
  const u = ((seed * 2654435761) >>> 0) / 2 ** 32;
  return OPS_MIN + Math.floor((OPS_MAX - OPS_MIN) * u ** 3);
}

const promised = reads === 'sync' ? ['strong', 'sequential', 'session', 'eventual'] : ['sequential', 'session', 'eventual'];
let failures = 0;
let opsTotal = 0;
const started = performance.now();
for (let seed = first; seed < first + runs; seed++) {
  const ops = opsFor(seed);
  opsTotal += ops;
  const r = await run({ protocol: 'zookeeper', nemesis: 'mixed', seed, ops, params: { syncReads: reads === 'sync' ? 1 : 0 }, checkTimeLimitMs: 60_000 });
  const levels = r.report.consistency?.levels ?? [];
  const broken = [
    ...levels.filter((l) => promised.includes(l.level) && l.status !== 'holds').map((l) => `${l.level} ${l.status}`),
    ...(r.report.invariants ?? []).filter((i) => i.status !== 'holds').map((i) => `${i.name} ${i.status}`),
  ];
  const invariants = (r.report.invariants ?? []).map((i) => `${i.name} ${i.status}`).join(', ');
  const line = `seed ${seed} ops ${ops}: ${levels.map((l) => `${l.level} ${l.status}`).join(', ')}; ${invariants}; ${r.facts.faults.length} faults; ${((r.facts.wallMs.simulate + r.facts.wallMs.check) / 1000).toFixed(1)} s`;
  if (broken.length > 0) {
    failures++;
    console.log(`FAIL ${line} (${broken.join(', ')})\n  ${r.facts.reproduce}`);
  } else console.log(line);
}
const minutes = (performance.now() - started) / 60_000;
console.log(`\n${runs} runs (seeds ${first}–${first + runs - 1}), ${opsTotal.toLocaleString('en')} operations, reads ${reads}, nemesis mixed: ${failures} broke a promise; ${minutes.toFixed(1)} min`);
process.exit(failures > 0 ? 1 : 0);
