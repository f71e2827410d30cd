import type { ProtocolScenario } from '../protocol.js';
import { CHOSEN } from './marks.js';

/**
 * Where Paxos's bugs show on the first seed, applied to the correct protocol too, which must stay
 * linearizable under them. Faults last 1.2 s or more: longer than a failover (election, then the
 * old lease waited out), so a fault is never taken for blocking.
 */
export const PAXOS_SCENARIOS: readonly ProtocolScenario[] = [
  {
    name: 'leader-dies-after-choosing',
    description: 'each leader crash comes right after the leader acknowledged a write no follower yet knows is chosen, and crashes come often: a new leader must recover that write from the values its quorum accepted',
    nemeses: ['crash-leader'],
    spec: { nemesisTrigger: CHOSEN, nemesisTiming: { gapMsMin: 200, gapMsMax: 400, faultMsMin: 1_500, faultMsMax: 2_000 } },
  },
  {
    name: 'lease-hazard',
    description: 'the isolated leader\'s clock runs 30 % slow and the others\' 30 % fast, and clients give up on a stuck write after 400 ms, so the client of a deposed master reads again while the master still believes its lease; the stale read also needs that client to read a key the new master has just written, which about 3 runs in 4 see, hence 3 seeds',
    nemeses: ['isolate-skewed-leader'],
    seeds: 3,
    spec: { clockDriftPpmMax: 300_000, timeoutMs: 400, nemesisTiming: { gapMsMin: 400, gapMsMax: 700, faultMsMin: 1_200, faultMsMax: 1_500 } },
  },
];
