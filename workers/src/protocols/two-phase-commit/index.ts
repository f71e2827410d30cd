import type { NodeFactory, NodeId } from '../../sim/node-context.js';
import type { ClusterLayout, NodeOptions, ProtocolDefinition } from '../protocol.js';
import { PLACEMENT_RULE } from '../shared/key-placement.js';
import { parseLockConflict } from '../shared/resource-manager.js';
import { COORDINATOR_ROLE, coordinatorsOf, transactionCluster, transactionFinalReads, transactionKeyOwners } from '../shared/layout.js';
import { twoPcCoordinator } from './coordinator.js';
import { TWO_PC_MARKS } from './marks.js';
import { TWO_PC_SCENARIOS } from './scenarios.js';
import { twoPcParams } from './params.js';
import { PARTICIPANT_TIMEOUT_DECIDES, twoPcParticipant } from './participant.js';

/**
 * Two-phase commit over a list-append store sharded across participants (see key-placement.ts).
 * Clients send transactions to the coordinator; participants answer only the final reads.
 */
export const twoPhaseCommit: ProtocolDefinition = {
  name: '2pc',
  description:
    'Two-phase commit: coordinators c1, c2 and participants p1..pN with undo/redo logs and strict 2PL (no-wait); ' +
    `atomic, but blocks while the coordinator is down after prepare (scenario coordinator-dies-in-doubt crashes it right then). Placement: ${PLACEMENT_RULE}.`,
  bugs: [
    {
      name: PARTICIPANT_TIMEOUT_DECIDES,
      description: 'An in-doubt participant commits or aborts alone after a timeout instead of waiting for the coordinator: non-atomic commit. Found on every seed of 1-10 under crash-coordinator with scenario coordinator-dies-in-doubt, and on 8 of 10 under partition-halves with participant-cut-off-in-doubt.',
      showsUnder: ['partition-halves', 'crash-coordinator'],
    },
  ],
  workload: 'txn',
  cluster: transactionCluster,
  checkParams(params) {
    twoPcParams({ params });
  },
  node(id: NodeId, options: NodeOptions): NodeFactory {
    const role = options.layout.roles[id];
    return (ctx) => (role === COORDINATOR_ROLE ? twoPcCoordinator(ctx, options) : twoPcParticipant(ctx, options));
  },
  entryNodes(layout: ClusterLayout): readonly NodeId[] {
    return coordinatorsOf(layout);
  },
  finalReads: transactionFinalReads,
  keyOwners: transactionKeyOwners,
  lockConflict: parseLockConflict,
  marks: TWO_PC_MARKS,
  scenarios: TWO_PC_SCENARIOS,
};

export default twoPhaseCommit;
