import type { ClientRequest, NodeContext, NodeId } from '../../sim/node-context.js';
import type { CoordinatorLog } from './coordinator-log.js';
import { ownerOf } from './key-placement.js';
import { parseTxn, splitTxn, TXN_F, type MicroOp, type TxnShare } from './list-append.js';

/** A client's transaction as a coordinator accepted it: a fresh id and each participant's share. */
export interface AdmittedTxn {
  id: string;
  requestId: number;
  ops: MicroOp[];
  shares: Map<NodeId, TxnShare>;
}

/**
 * Where client transactions enter a coordinator. What needs no protocol is answered at once (not
 * a transaction: `fail`; no micro-ops: `ok []`); the rest is split by key placement and named
 * `<coordinator>.<incarnation>.<n>`, unique across restarts because the incarnation is logged.
 */
export class TxnIntake {
  private epoch = 0;
  private seq = 0;

  constructor(
    private readonly ctx: NodeContext,
    private readonly participants: readonly NodeId[],
    private readonly protocol: string,
  ) {}

  /** Begins this incarnation's numbering; call once on start. Returns the incarnation. */
  start(log: CoordinatorLog): number {
    this.epoch = log.nextEpoch();
    return this.epoch;
  }

  /** The transaction to run, or undefined when the request has been answered already. */
  admit(request: ClientRequest): AdmittedTxn | undefined {
    const ops = request.f === TXN_F ? parseTxn(request.value) : { error: `unsupported f ${JSON.stringify(request.f)}; ${this.protocol} runs ${TXN_F}` };
    if (!Array.isArray(ops)) {
      this.ctx.reply(request.id, { type: 'fail', error: ops.error });
      return undefined;
    }
    if (ops.length === 0) {
      this.ctx.reply(request.id, { type: 'ok', value: [] });
      return undefined;
    }
    const id = `${this.ctx.id}.${this.epoch}.${++this.seq}`;
    return { id, requestId: request.id, ops, shares: splitTxn(ops, (key) => ownerOf(key, this.participants)) };
  }
}

/** Shares of a transaction recovered from the log: who takes part is known, not with what. */
export function recoveredShares(participants: readonly NodeId[]): Map<NodeId, TxnShare> {
  return new Map(participants.map((p): [NodeId, TxnShare] => [p, { ops: [], positions: [] }]));
}
