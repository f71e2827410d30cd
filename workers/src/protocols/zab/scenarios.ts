import type { ProtocolScenario } from '../protocol.js';
import { LAGGARD_JOINS, PROPOSED } from './marks.js';

/**
 * Where ZooKeeper's bugs show on the first seeds, applied to the correct protocol too, which must
 * keep its guarantees under them.
 */
export const ZAB_SCENARIOS: readonly ProtocolScenario[] = [
  {
    name: 'leader-cut-off-after-proposing',
    description: 'each isolation of the leader comes right after it logged a proposal no follower has yet, and isolations come often: a leader that commits before a quorum acknowledged has already answered that write, which the rest of the ensemble never sees; a learner that skips TRUNC keeps such a proposal, which shows once a read meets it before the key is written again: seeds 16 and 29 of the first 30 (before the leader waited for a quorum to acknowledge its epoch, leaders with a short history won elections and truncated more often), hence 16 seeds',
    nemeses: ['isolate-leader'],
    seeds: 16,
    spec: { nemesisTrigger: PROPOSED, nemesisTiming: { gapMsMin: 200, gapMsMax: 400, faultMsMin: 1_200, faultMsMax: 1_600 } },
  },
  {
    name: 'leader-dies-as-laggard-returns',
    description: 'the leader crashes the moment a voter that missed committed writes (a crashed leader coming back) asks to rejoin, so that voter, with its shorter log, takes part in the next election: the election must not let it win',
    nemeses: ['crash-leader'],
    spec: { nemesisTrigger: LAGGARD_JOINS, nemesisTiming: { gapMsMin: 1, gapMsMax: 5, faultMsMin: 800, faultMsMax: 1_200 } },
  },
];
