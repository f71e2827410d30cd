/**
 * Simulator speed: raw message throughput of the core on one core, a full 10,000-operation
 * Paxos run under a partition schedule, simulated and checked, and ZooKeeper's figures (committed
 * writes per second of a 5-voter, 1-observer ensemble; a 10,000-operation run with leader crashes).
 * Figures only, no assertions.
 */
import { PROTOCOLS, resolveRunSpec, run, Simulation, simulationConfig } from '@verdict/workers';
import type { NodeBehaviour, NodeContext, ProtocolDefinition } from '@verdict/workers';
import { SeededRng } from '../workers/src/sim/rng.js';
import { Simulator } from '../workers/src/sim/simulator.js';

const FLOOD_MESSAGES = 2_000_000;
const FLOOD_IN_FLIGHT_PER_NODE = 64;

/**
 * Every node keeps messages in flight: each delivery is forwarded to a random peer (with
 * `forwardProbability`), and a timer every millisecond of the node's clock adds `topUpPerMs`
 * new ones, so a lossy network settles at a steady load instead of dying out.
 */
function flood(forwardProbability: number, topUpPerMs: number) {
  return (ctx: NodeContext): NodeBehaviour => {
    const message = { t: 'ping' };
    const others = ctx.peers.filter((p) => p !== ctx.id);
    const sendOne = (): void => ctx.send(others[ctx.rng.int(0, others.length - 1)]!, message);
    return {
      onStart() {
        for (let i = 0; i < FLOOD_IN_FLIGHT_PER_NODE; i++) sendOne();
        if (topUpPerMs > 0) ctx.setTimer(1, 'top-up');
      },
      onMessage() {
        if (ctx.rng.chance(forwardProbability)) sendOne();
      },
      onTimer() {
        for (let i = 0; i < topUpPerMs; i++) sendOne();
        ctx.setTimer(1, 'top-up');
      },
      onClientRequest() {},
    };
  };
}

const FAULTY_NETWORK = { lossProbability: 0.05, duplicateProbability: 0.05, reorderProbability: 0.1 };

function rawThroughput(nodes: number, faulty: boolean): { delivered: number; seconds: number; perSecond: number } {
  const sim = new Simulator({
    rng: SeededRng.fromSeed(1),
    nodes: Array.from({ length: nodes }, (_, i) => `n${i + 1}`),
    factoryFor: () => (faulty ? flood(0.9, 16) : flood(1, 0)),
    ...(faulty ? { network: FAULTY_NETWORK } : {}),
  });
  sim.startAll();
  const started = performance.now();
  while (sim.network.stats.delivered < FLOOD_MESSAGES) {
    if (sim.run(100_000) === 'idle') break;
  }
  const seconds = (performance.now() - started) / 1000;
  const delivered = sim.network.stats.delivered;
  return { delivered, seconds, perSecond: delivered / seconds };
}

export async function bench(): Promise<void> {
  rawThroughput(5, false); // warm up the JIT
  for (const faulty of [false, true]) {
    const r = rawThroughput(5, faulty);
    console.log(`core, 5 nodes${faulty ? ', 5 % loss, 5 % duplicates, 10 % reordered' : ''}: ${r.delivered.toLocaleString('en')} messages delivered in ${r.seconds.toFixed(2)} s = ${Math.round(r.perSecond).toLocaleString('en')} messages/s (target ≥ 200,000)`);
  }
  if (PROTOCOLS.paxos === undefined) {
    console.log('paxos: not registered yet, skipping the 10,000-operation run');
    return;
  }
  for (const nemesis of ['partition-halves', 'mixed'] as const) {
    const started = performance.now();
    const r = await run({ protocol: 'paxos', nemesis, seed: 1, ops: 10_000 });
    const total = (performance.now() - started) / 1000;
    const m = r.facts.messages;
    console.log(`paxos, 10,000 ops, ${nemesis}: ${total.toFixed(2)} s in all (target < 10 s) — simulate ${(r.facts.wallMs.simulate / 1000).toFixed(2)} s `
      + `(${m.sent.toLocaleString('en')} messages sent, ${Math.round(m.delivered / (r.facts.wallMs.simulate / 1000)).toLocaleString('en')} delivered/s, ${r.facts.events.toLocaleString('en')} events, ${(r.facts.simulatedMs / 1000).toFixed(1)} s virtual), `
      + `check ${(r.facts.wallMs.check / 1000).toFixed(2)} s; ${r.facts.faults.length} faults; verdict ${r.report.verdict.outcome} (${r.report.verdict.consistency ?? '-'})`);
  }
  await zookeeper();
}

/**
 * ZooKeeper on ZAB, 5 voters and 1 observer: committed writes per second of wall time (and of CPU
 * time, which a busy machine does not inflate), with clients issuing writes only, simulated without
 * a check; then a 10,000-operation run with leader crashes, simulated and checked.
 */
async function zookeeper(): Promise<void> {
  const base = PROTOCOLS.zookeeper;
  if (base === undefined) return;
  // Writes alone: no guarantee clients mixed in (they are measured by the 10,000-operation runs below).
  const writesOnly = { zookeeper: async () => ({ ...withoutMix(await base()), operations: ['write'] as const }) };
  const ops = 100_000;
  const { spec, protocol } = await resolveRunSpec({ protocol: 'zookeeper', nemesis: 'none', seed: 1, ops, clients: 20, concurrency: 4, thinkMsMean: 1 }, writesOnly);
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const simulation = new Simulation({ ...simulationConfig(spec, protocol), logLinesMax: 0 });
  while (!simulation.advance(1_000_000));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const outcome = simulation.outcome();
  const committed = outcome.ops.filter((o) => o.type === 'ok' && o.f === 'write' && o.phase !== 'final').length;
  console.log(`zookeeper, 5 voters + 1 observer, ${ops.toLocaleString('en')} writes by 80 processes: ${committed.toLocaleString('en')} committed in ${seconds.toFixed(2)} s wall `
    + `= ${Math.round(committed / seconds).toLocaleString('en')} committed writes/s (target ≥ 50,000); ${Math.round(committed / cpuSeconds).toLocaleString('en')}/s of CPU time; `
    + `${outcome.messages.sent.toLocaleString('en')} messages, ${outcome.events.toLocaleString('en')} events, ${(outcome.simulatedMs / 1000).toFixed(1)} s virtual`);
  for (const reads of ['sync', 'local'] as const) {
    const t = performance.now();
    const r = await run({ protocol: 'zookeeper', nemesis: 'crash-leader', seed: 1, ops: 10_000, params: { syncReads: reads === 'sync' ? 1 : 0 } });
    const total = (performance.now() - t) / 1000;
    console.log(`zookeeper, 10,000 ops, crash-leader, --reads ${reads}: ${total.toFixed(2)} s in all (target < 10 s) — simulate ${(r.facts.wallMs.simulate / 1000).toFixed(2)} s, check ${(r.facts.wallMs.check / 1000).toFixed(2)} s; `
      + `${r.facts.faults.length} leader crashes; verdict ${r.report.verdict.outcome} (${r.report.verdict.consistency ?? '-'})`);
  }
}

function withoutMix(p: ProtocolDefinition): ProtocolDefinition {
  const { mixOps: _, ...rest } = p;
  return rest;
}
