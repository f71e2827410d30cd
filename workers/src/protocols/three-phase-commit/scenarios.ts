import type { ProtocolScenario } from '../protocol.js';
import { PRE_COMMIT_SENT, PRE_COMMITTED } from './marks.js';

/**
 * Where 3PC's textbook behaviours show on the first seed. Its flaw needs a partition inside the
 * few milliseconds between one participant executing PreCommit and the coordinator hearing of it;
 * its strength, not blocking, is best shown by crashing the coordinator at its worst moment.
 */
export const THREE_PC_SCENARIOS: readonly ProtocolScenario[] = [
  {
    name: 'partition-after-precommit',
    description: 'each partition comes right after the first participant of a transaction writing at two participants executed PreCommit (marks pre-commit-sent, then pre-committed), and puts it on the other side from its coordinator: it commits alone while the coordinator aborts the others',
    nemeses: ['partition-halves'],
    spec: { nemesisTrigger: `${PRE_COMMIT_SENT}>${PRE_COMMITTED}` },
  },
  {
    name: 'coordinator-dies-after-precommit',
    description: 'each coordinator crash comes right after it sent PreCommit for a transaction writing at two participants (mark pre-commit-sent): its participants commit on their own timeouts, nothing blocks',
    nemeses: ['crash-coordinator'],
    spec: { nemesisTrigger: PRE_COMMIT_SENT },
  },
];
