import type { ClientRequest, NodeContext } from '../../sim/node-context.js';
import { isReadOnly, parseTxn, TXN_F } from './list-append.js';
import type { ResourceManager } from './resource-manager.js';

/**
 * A participant's answer to a client request: only read-only transactions on its own keys (the
 * final reads), answered at once from committed state without taking locks, so a participant
 * blocked in doubt still reports what it has committed. Anything else goes to a coordinator.
 */
export function answerLocalRead(ctx: NodeContext, rm: ResourceManager, request: ClientRequest): void {
  const ops = request.f === TXN_F ? parseTxn(request.value) : { error: `unsupported f ${JSON.stringify(request.f)}` };
  if (!Array.isArray(ops)) {
    ctx.reply(request.id, { type: 'fail', error: ops.error });
  } else if (!isReadOnly(ops)) {
    ctx.reply(request.id, { type: 'fail', error: 'not-coordinator: participants answer read-only transactions only; send writes to a coordinator' });
  } else {
    ctx.reply(request.id, { type: 'ok', value: rm.readCommitted(ops) });
  }
}
