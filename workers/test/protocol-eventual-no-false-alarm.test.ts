import { describe, expect, it } from 'vitest';
import { NEMESIS_NAMES } from '../src/sim/nemesis-schedule.js';
import { eventualVerdicts, type EventualSpec, type EventualVerdicts } from './support/eventual-run.js';

/**
 * No false alarm: under every nemesis, on several seeds, the correct store never fails what its
 * configuration promises. Last writer wins promises nothing once a fault has skewed the clocks
 * (that is the lesson of `clock-skew`); version vectors promise the same with or without skew.
 * - every configuration: eventual consistency (final reads agree, no write lost or invented);
 * - sticky clients: the session guarantees too;
 * - a strict quorum with R + W > N: every read sees the last acknowledged write.
 */

interface Config {
  name: string;
  spec: Omit<EventualSpec, 'seed'>;
  promises: (v: EventualVerdicts) => Partial<EventualVerdicts>;
}

const lwwUnlessSkewed = (promise: Partial<EventualVerdicts>) => (v: EventualVerdicts): Partial<EventualVerdicts> => (v.skewed ? {} : promise);
const always = (promise: Partial<EventualVerdicts>) => (): Partial<EventualVerdicts> => promise;

const CONFIGS: Config[] = [
  { name: 'N3 R1 W1 sloppy, lww, roaming', spec: {}, promises: lwwUnlessSkewed({ eventual: 'holds', lostWrites: 0 }) },
  { name: 'N3 R1 W1 sloppy, lww, sticky', spec: { routing: 'sticky' }, promises: lwwUnlessSkewed({ eventual: 'holds', session: 'holds' }) },
  { name: 'N3 R1 W1 sloppy, siblings, roaming', spec: { resolve: 'siblings' }, promises: always({ eventual: 'holds', lostWrites: 0 }) },
  { name: 'N3 R1 W1 sloppy, siblings, sticky', spec: { resolve: 'siblings', routing: 'sticky' }, promises: always({ eventual: 'holds', session: 'holds' }) },
  { name: 'N3 R2 W2 strict, lww, roaming', spec: { r: 2, w: 2, sloppyQuorum: false }, promises: lwwUnlessSkewed({ eventual: 'holds', fresh: 'holds' }) },
  { name: 'N3 R2 W2 strict, siblings, roaming', spec: { r: 2, w: 2, sloppyQuorum: false, resolve: 'siblings' }, promises: always({ eventual: 'holds', fresh: 'holds' }) },
];

const SEEDS = [1, 2, 3, 4];
const OPS = 300;

describe('the correct eventual store keeps its promises under every nemesis', () => {
  for (const config of CONFIGS) {
    it(`${config.name} (${NEMESIS_NAMES.length} nemeses × seeds ${SEEDS.join(', ')}, ${OPS} ops)`, async () => {
      for (const nemesis of NEMESIS_NAMES) {
        for (const seed of SEEDS) {
          const v = await eventualVerdicts({ ...config.spec, nemesis, seed, ops: OPS });
          expect(v, `${nemesis} seed ${seed}`).toMatchObject(config.promises(v));
        }
      }
    }, 120_000);
  }

  it('with 5% message loss, 5% duplication and 10% reordering (mixed, seeds 1-3)', async () => {
    const network = { lossProbability: 0.05, duplicateProbability: 0.05, reorderProbability: 0.1 };
    for (const config of CONFIGS) {
      for (let seed = 1; seed <= 3; seed++) {
        const v = await eventualVerdicts({ ...config.spec, nemesis: 'mixed', seed, ops: OPS, network });
        expect(v, `${config.name} seed ${seed}`).toMatchObject(config.promises(v));
      }
    }
  }, 120_000);
});
