import { run } from './workers/src/run.js';
const [seed, nemesis, bug, ops] = [Number(process.argv[2] ?? 1), process.argv[3] ?? 'none', process.argv[4], Number(process.argv[5] ?? 1000)];
const timing = process.env.TIMING ? JSON.parse(process.env.TIMING) : undefined;
const r = await run({ protocol: 'zookeeper', seed, nemesis: nemesis as any, ops, ...(bug && bug !== '-' ? { bug } : {}), ...(timing ? { nemesisTiming: timing } : {}), ...(process.env.CLIENTS ? { clients: Number(process.env.CLIENTS), concurrency: Number(process.env.CONC ?? 1) } : {}) });
const stats: Record<string, number> = {};
let moves = 0, behindServe = 0;
for (const o of r.history.operations) {
  if (!o.f.startsWith('zk-')) continue;
  stats[`${o.f}:${o.status}${o.error ? ':' + o.error : ''}`] = (stats[`${o.f}:${o.status}${o.error ? ':' + o.error : ''}`] ?? 0) + 1;
  const out = o.output as any;
  for (const a of out?.answers ?? []) if (a.call === 'connect') { moves++; stats[`connect:${a.error ?? 'ok'}`] = (stats[`connect:${a.error ?? 'ok'}`] ?? 0) + 1; }
}
console.log(JSON.stringify(stats, null, 1), moves);
for (const i of r.report.invariants ?? []) console.log(i.name, i.status, i.observations, JSON.stringify(i.counts), i.violations[0]?.sentence ?? '');
console.log(r.headline.slice(0, 300));
console.log("behind", (globalThis as any).__behind);
