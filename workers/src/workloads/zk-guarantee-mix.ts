import type { ClientOp } from '../sim/client-driver.js';
import { SeededRng } from '../sim/rng.js';
import type { SimulationWorkload } from './simulation-workload.js';

/** About one operation in this many is a guarantee client's. */
const GUARANTEE_SHARE = 5;
/** Every this many guarantee operations, one is a session close. */
const CLOSE_EVERY = 16;
/** Pairs of znodes only multis write. */
const PAIRS = 2;

/**
 * The kv workload with ZooKeeper's guarantee operations mixed in: now and then a process issues a
 * `zk-*` operation instead (a multi that sets a pair of znodes to one new value, a read of such a
 * pair in one step or one node after the other, a sequential create, ephemeral or persistent, a
 * getChildren with a watch, a session close), which its guarantee client runs on its own session.
 * The kv stream is unchanged otherwise; the checker's model reads only its operations.
 */
export function zkGuaranteeMix(kv: SimulationWorkload, seed: number): SimulationWorkload {
  const rng = SeededRng.fromSeed(seed >>> 0).fork('zk-guarantees');
  let nextValue = 1;
  let issued = 0;
  const guaranteeOp = (): ClientOp => {
    // A close on a fixed cadence, so even a short run sees sessions end (the ephemeral check needs one).
    if (++issued % CLOSE_EVERY === 0) return { f: 'zk-close', value: null };
    const r = rng.int(0, 99);
    const pair = rng.int(1, PAIRS);
    if (r < 25) return { f: 'zk-multi', value: { pair, value: nextValue++ } };
    if (r < 50) return { f: 'zk-read-pair', value: { pair, batch: rng.chance(0.5) } };
    if (r < 72) return { f: 'zk-create', value: { parent: rng.chance(0.6) ? '/g/e' : '/g/s' } };
    return { f: 'zk-children', value: { parent: rng.chance(0.7) ? '/g/e' : '/g/s' } };
  };
  return {
    next(process?: number): ClientOp | undefined {
      if (rng.int(1, GUARANTEE_SHARE) === 1) return guaranteeOp();
      return kv.next(process);
    },
    keys: () => kv.keys(),
    finalReadOps: (keys) => kv.finalReadOps(keys),
  };
}
