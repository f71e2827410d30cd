import type { ProtocolScenario } from '../protocol.js';
import { PREPARE_SENT, PREPARED } from './marks.js';

/**
 * Where 2PC's textbook behaviours show on the first seed: each fault lands the moment a
 * transaction that writes at two participants is in doubt, instead of whenever its cycle starts
 * (a window of a few milliseconds per transaction). The correct protocol blocks and stays atomic;
 * with `participant-timeout-decides` the participants left in doubt decide alone, apart.
 */
export const TWO_PC_SCENARIOS: readonly ProtocolScenario[] = [
  {
    name: 'coordinator-dies-in-doubt',
    description: 'each coordinator crash comes right after the coordinator sent the prepares of a transaction writing at two participants (mark prepare-sent), so they vote yes to a dead coordinator and wait in doubt',
    nemeses: ['crash-coordinator'],
    spec: { nemesisTrigger: PREPARE_SENT },
  },
  {
    name: 'participant-cut-off-in-doubt',
    description: 'each partition comes right after the first participant of a transaction writing at two participants voted yes (marks prepare-sent, then prepared), and puts it on the other side from its coordinator',
    nemeses: ['partition-halves'],
    spec: { nemesisTrigger: `${PREPARE_SENT}>${PREPARED}` },
  },
];
