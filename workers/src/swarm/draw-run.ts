import type { RunSpec } from '../run/spec.js';
import { SeededRng } from '../sim/rng.js';
import { PROTOCOL_PROMISES } from './promises.js';

/** What the swarm draws from: the protocols, a bug to hunt, the size of runs. */
export interface DrawOptions {
  /** Protocols to draw from, each with a promise in PROTOCOL_PROMISES. */
  protocols: readonly string[];
  /** A named bug of the (single) protocol: its runs are judged by the correct protocol's promise. */
  bug?: string;
  /** Client operations are drawn log-uniformly in [opsMin, opsMax] (capped by a protocol's own bound). */
  opsMin: number;
  opsMax: number;
}

/** Per mille: probabilities are drawn on a 0.001 grid so the replay command prints them exactly. */
const GRID = 1_000;

/**
 * The run spec of run `index` of the swarm rooted at `rootSeed`: its own simulation seed, and the
 * protocol, nemesis, cluster size, clients, operation count, message loss and duplication, clock
 * drift bound and client timeout, each drawn from a child generator of the root seed (VOPR's
 * swarm testing: every run a different mix, so faults meet in combinations no fixed test names).
 * Fields left at their default are omitted, so the replay command stays short.
 */
export function drawRun(rootSeed: number, index: number, options: DrawOptions): RunSpec {
  const rng = SeededRng.fromSeed(rootSeed).fork(`swarm-run:${index}`);
  const protocol = rng.pick(options.protocols);
  const promise = PROTOCOL_PROMISES[protocol];
  if (promise === undefined) throw new RangeError(`swarm: no promise known for protocol ${JSON.stringify(protocol)}`);
  const seed = rng.u32();
  const nemesis = rng.pick(promise.nemeses);
  const nodes = rng.int(promise.nodes[0], promise.nodes[1]);
  const hi = Math.max(options.opsMin, Math.min(options.opsMax, promise.opsMax ?? Infinity));
  const ops = Math.round(Math.exp(rng.uniform(Math.log(options.opsMin), Math.log(hi + 0.5))));
  const spec: RunSpec = { protocol, seed, nemesis, ops: Math.min(hi, Math.max(options.opsMin, ops)), nodes, clients: rng.int(1, 10) };
  if (rng.chance(0.3)) spec.concurrency = rng.int(2, 3);
  if (options.bug !== undefined) spec.bug = options.bug;
  if (rng.chance(0.5)) spec.timeoutMs = rng.int(200, 3_000);
  const network: NonNullable<RunSpec['network']> = {};
  if (promise.lossless !== true && rng.chance(0.5)) network.lossProbability = rng.int(1, Math.round((promise.lossMax ?? 0.1) * GRID)) / GRID;
  // Drawn either way, so a protocol's other draws do not shift with its promise.
  const duplicate = rng.chance(0.5) ? rng.int(1, 100) / GRID : undefined;
  if (promise.fifo !== true && duplicate !== undefined) network.duplicateProbability = duplicate;
  if (Object.keys(network).length > 0) spec.network = network;
  if (rng.chance(0.5)) spec.clockDriftPpmMax = rng.int(0, 300) * 1_000;
  const extra = promise.drawExtra?.({ chance: (p) => rng.chance(p), int: (a, b) => rng.int(a, b), nodes });
  return { ...spec, ...extra };
}
