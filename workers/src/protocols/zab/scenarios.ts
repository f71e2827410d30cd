import type { ProtocolScenario } from '../protocol.js';
import { COMMITTED } from './marks.js';

/**
 * Where ZooKeeper's bugs show on the first seeds, applied to the correct protocol too, which must
 * keep its guarantees under them.
 */
export const ZAB_SCENARIOS: readonly ProtocolScenario[] = [
  {
    name: 'leader-dies-after-commit',
    description: 'each leader crash comes right after the leader committed a client write its followers have not yet heard is committed, and crashes come often: the next leader must still hold that write',
    nemeses: ['crash-leader'],
    spec: { nemesisTrigger: COMMITTED, nemesisTiming: { gapMsMin: 200, gapMsMax: 400, faultMsMin: 1_200, faultMsMax: 1_600 } },
  },
];
