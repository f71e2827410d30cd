import type { NodeFactory, NodeId } from '../../sim/node-context.js';
import type { ClusterLayout, NodeOptions, ProtocolDefinition } from '../protocol.js';
import { PLACEMENT_RULE } from '../shared/key-placement.js';
import { parseLockConflict } from '../shared/resource-manager.js';
import { COORDINATOR_ROLE, coordinatorsOf, transactionCluster, transactionFinalReads, transactionKeyOwners } from '../shared/layout.js';
import { threePcCoordinator } from './coordinator.js';
import { THREE_PC_MARKS } from './marks.js';
import { THREE_PC_SCENARIOS } from './scenarios.js';
import { threePcParams } from './params.js';
import { threePcParticipant } from './participant.js';

/**
 * Three-phase commit over the same sharded list-append store as 2PC. Its flaw is not a bug switch:
 * a partition after PreCommit reached only some participants makes one side commit on its timeout
 * while the other aborts, and the checker reports the non-atomic commit.
 */
export const threePhaseCommit: ProtocolDefinition = {
  name: '3pc',
  description:
    'Three-phase commit: CanCommit / PreCommit / DoCommit with participant timeouts (abort before PreCommit, commit after); ' +
    `no blocking on a coordinator crash, non-atomic under a partition after PreCommit (scenario partition-after-precommit times one there). Placement: ${PLACEMENT_RULE}.`,
  bugs: [],
  workload: 'txn',
  cluster: transactionCluster,
  checkParams(params) {
    threePcParams({ params });
  },
  node(id: NodeId, options: NodeOptions): NodeFactory {
    const role = options.layout.roles[id];
    return (ctx) => (role === COORDINATOR_ROLE ? threePcCoordinator(ctx, options) : threePcParticipant(ctx, options));
  },
  entryNodes(layout: ClusterLayout): readonly NodeId[] {
    return coordinatorsOf(layout);
  },
  finalReads: transactionFinalReads,
  keyOwners: transactionKeyOwners,
  lockConflict: parseLockConflict,
  marks: THREE_PC_MARKS,
  scenarios: THREE_PC_SCENARIOS,
};

export default threePhaseCommit;
