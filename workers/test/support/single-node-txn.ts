import type { ProtocolDefinition } from '../../src/protocols/protocol.js';
import type { ClientRequest, NodeContext } from '../../src/sim/node-context.js';

export const LOSE_APPENDS = 'lose-appends';

/**
 * A list-append store on one node, for testing the transactional path: every transaction runs
 * alone, in arrival order, so histories are strict serializable. Bug `lose-appends`: every
 * fifth transaction is acknowledged but its appends are dropped.
 */
export const singleNodeTxn: ProtocolDefinition = {
  name: 'single-node-txn',
  description: 'test protocol: a one-node list-append store',
  bugs: [{ name: LOSE_APPENDS, description: 'acknowledges some appends without applying them' }],
  workload: 'txn',
  cluster: () => ({ nodes: ['n1'], roles: { n1: 'primary' } }),
  node: (_id, options) => (ctx: NodeContext) => {
    let count = 0;
    return {
      onMessage() {},
      onTimer() {},
      onClientRequest(r: ClientRequest) {
        const lose = options.bug === LOSE_APPENDS && ++count % 5 === 0;
        const result = (r.value as [string, number, unknown][]).map(([f, k, v]) => {
          const list = ctx.load<number[]>(`k${k}`) ?? [];
          if (f === 'r') return ['r', k, list];
          if (!lose) ctx.persist(`k${k}`, [...list, v as number]);
          return [f, k, v];
        });
        ctx.reply(r.id, { type: 'ok', value: result });
      },
    };
  },
  entryNodes: (layout) => layout.nodes,
};
