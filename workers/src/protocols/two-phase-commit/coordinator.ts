import type { ClientRequest, NodeBehaviour, NodeContext, NodeId, TimerId } from '../../sim/node-context.js';
import type { NodeOptions } from '../protocol.js';
import { CoordinatorLog } from '../shared/coordinator-log.js';
import { PLACEMENT_RULE } from '../shared/key-placement.js';
import { COORDINATOR_ROLE, participantsOf } from '../shared/layout.js';
import { clientOutcome, recordAck, type CoordinatedTxn } from '../shared/client-outcome.js';
import { writingShares } from '../shared/list-append.js';
import { recoveredShares, TxnIntake } from '../shared/txn-intake.js';
import { isTwoPcMessage, type AckMessage, type TwoPcMessage, type VoteMessage } from './messages.js';
import { PREPARE_SENT } from './marks.js';
import { twoPcParams } from './params.js';

interface ActiveTxn extends CoordinatedTxn {
  /** The vote timeout, then the decision re-send timer. */
  timer?: TimerId;
}

/**
 * The 2PC coordinator. Phase one sends each participant its share and collects votes (a no vote
 * or the vote timeout aborts). The decision is persisted before phase two sends it; it is re-sent
 * until every participant acknowledges, and only then is the client answered, from what the
 * participants report having done (see clientOutcome).
 * A restarted coordinator finishes what its log left open: a logged decision is sent again, and a
 * transaction with no logged decision is presumed aborted.
 */
export function twoPcCoordinator(ctx: NodeContext, options: NodeOptions): NodeBehaviour {
  const params = twoPcParams(options);
  const participants = participantsOf(options.layout);
  const log = new CoordinatorLog(ctx);
  const intake = new TxnIntake(ctx, participants, '2pc');
  const active = new Map<string, ActiveTxn>();

  const send = (to: NodeId, message: TwoPcMessage): void => ctx.send(to, message);

  function decide(txn: ActiveTxn, decision: 'commit' | 'abort', reason?: string): void {
    txn.decision = decision;
    txn.reason = reason;
    if (txn.timer !== undefined) ctx.cancelTimer(txn.timer);
    // The decision is durable before any participant can act on it.
    log.update({ id: txn.id, participants: [...txn.shares.keys()], decision });
    ctx.log('2pc decision', { txn: txn.id, decision, reason });
    if (!finishIfDone(txn)) sendDecision(txn);
  }

  function sendDecision(txn: ActiveTxn): void {
    for (const p of txn.shares.keys()) {
      if (!txn.outcomes.has(p)) send(p, { type: '2pc/decision', txn: txn.id, commit: txn.decision === 'commit' });
    }
    txn.timer = ctx.setTimer(params.decisionRetryMs, 'decision-retry', txn.id);
  }

  function finishIfDone(txn: ActiveTxn): boolean {
    if (txn.outcomes.size < txn.shares.size) return false;
    if (txn.timer !== undefined) ctx.cancelTimer(txn.timer);
    log.finish(txn.id);
    active.delete(txn.id);
    if (txn.requestId !== undefined) ctx.reply(txn.requestId, clientOutcome(txn));
    return true;
  }

  /** The logged answer for a transaction this incarnation is not running: presumed abort when none. */
  function loggedDecision(id: string): boolean {
    return log.get(id)?.decision === 'commit';
  }

  function onVote(from: NodeId, vote: VoteMessage): void {
    const txn = active.get(vote.txn);
    if (txn === undefined) {
      if (vote.yes) send(from, { type: '2pc/decision', txn: vote.txn, commit: loggedDecision(vote.txn) });
      return;
    }
    if (!txn.shares.has(from) || txn.decision !== undefined) return;
    if (!vote.yes) {
      txn.outcomes.set(from, 'aborted');
      decide(txn, 'abort', vote.reason ?? `${from} voted no`);
      return;
    }
    txn.results.set(from, vote.results ?? []);
    if (txn.results.size === txn.shares.size) decide(txn, 'commit');
  }

  function onAck(from: NodeId, ack: AckMessage): void {
    const txn = active.get(ack.txn);
    if (txn?.decision === undefined || !txn.shares.has(from)) return;
    recordAck(ctx, '2pc', txn, from, ack);
    finishIfDone(txn);
  }

  return {
    onStart() {
      ctx.setRole(COORDINATOR_ROLE);
      const epoch = intake.start(log);
      ctx.log('2pc coordinator up', { epoch, participants, placement: PLACEMENT_RULE });
      for (const record of log.openRecords()) {
        const txn: ActiveTxn = { id: record.id, ops: [], shares: recoveredShares(record.participants), results: new Map(), outcomes: new Map() };
        active.set(txn.id, txn);
        decide(txn, record.decision ?? 'abort', record.decision === undefined ? 'presumed abort: no decision was logged before the restart' : undefined);
      }
    },

    onClientRequest(request: ClientRequest) {
      const admitted = intake.admit(request);
      if (admitted === undefined) return;
      const { id, shares } = admitted;
      const txn: ActiveTxn = { ...admitted, results: new Map(), outcomes: new Map() };
      active.set(id, txn);
      log.begin({ id, participants: [...shares.keys()] });
      for (const [p, share] of shares) send(p, { type: '2pc/prepare', txn: id, ops: share.ops });
      txn.timer = ctx.setTimer(params.voteTimeoutMs, 'vote-timeout', id);
      if (writingShares(shares) >= 2) ctx.mark(PREPARE_SENT);
    },

    onMessage(from: NodeId, message: unknown) {
      if (!isTwoPcMessage(message)) return;
      switch (message.type) {
        case '2pc/vote':
          onVote(from, message);
          return;
        case '2pc/ack':
          onAck(from, message);
          return;
        case '2pc/inquiry': {
          const txn = active.get(message.txn);
          if (txn === undefined) send(from, { type: '2pc/decision', txn: message.txn, commit: loggedDecision(message.txn) });
          else if (txn.decision !== undefined) send(from, { type: '2pc/decision', txn: txn.id, commit: txn.decision === 'commit' });
          return;
        }
        default:
          return;
      }
    },

    onTimer(tag: string, data: unknown) {
      const txn = active.get(String(data));
      if (txn === undefined) return;
      if (tag === 'vote-timeout' && txn.decision === undefined) decide(txn, 'abort', 'vote-timeout: not every participant voted in time');
      else if (tag === 'decision-retry' && txn.decision !== undefined) sendDecision(txn);
    },
  };
}
