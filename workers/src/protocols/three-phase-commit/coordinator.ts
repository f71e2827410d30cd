import type { ClientRequest, NodeBehaviour, NodeContext, NodeId, TimerId } from '../../sim/node-context.js';
import type { NodeOptions } from '../protocol.js';
import { CoordinatorLog } from '../shared/coordinator-log.js';
import { PLACEMENT_RULE } from '../shared/key-placement.js';
import { COORDINATOR_ROLE, participantsOf } from '../shared/layout.js';
import { clientOutcome, recordAck, type CoordinatedTxn } from '../shared/client-outcome.js';
import { writingShares } from '../shared/list-append.js';
import { recoveredShares, TxnIntake } from '../shared/txn-intake.js';
import { isThreePcMessage, type AckMessage, type PreCommitAckMessage, type ThreePcMessage, type VoteMessage } from './messages.js';
import { PRE_COMMIT_SENT } from './marks.js';
import { threePcParams } from './params.js';

type Phase = 'can-commit' | 'pre-commit' | 'decided';

interface ActiveTxn extends CoordinatedTxn {
  phase: Phase;
  /** Participants that voted yes to CanCommit. */
  yes: Set<NodeId>;
  /** The phase's deadline (votes, PreCommit acks) and the re-send timer. */
  deadline?: TimerId;
  retry?: TimerId;
}

/**
 * The 3PC coordinator. CanCommit collects votes; a no or the vote timeout aborts at once, and the
 * client gets `fail`: no participant can have committed, since none was sent PreCommit. When all
 * vote yes it logs and sends PreCommit, re-sending until acknowledged; when all acknowledge it logs
 * commit and sends DoCommit, else (a refusal, or the ack timeout) it logs abort and sends Abort.
 * A participant that asks about a transaction (re-sending its yes vote after a crash) is told the
 * current phase's message, or the logged outcome (no logged commit: abort).
 * Past PreCommit the client is answered once every participant has said what it did (see
 * clientOutcome), because a participant cut off after PreCommit commits on its own timeout
 * whatever the coordinator decides: the textbook flaw, left in on purpose.
 */
export function threePcCoordinator(ctx: NodeContext, options: NodeOptions): NodeBehaviour {
  const params = threePcParams(options);
  const participants = participantsOf(options.layout);
  const log = new CoordinatorLog(ctx);
  const intake = new TxnIntake(ctx, participants, '3pc');
  const active = new Map<string, ActiveTxn>();

  const send = (to: NodeId, message: ThreePcMessage): void => ctx.send(to, message);
  const record = (txn: ActiveTxn) => ({ id: txn.id, participants: [...txn.shares.keys()], preCommitted: txn.phase !== 'can-commit' || undefined });

  function clearTimers(txn: ActiveTxn): void {
    if (txn.deadline !== undefined) ctx.cancelTimer(txn.deadline);
    if (txn.retry !== undefined) ctx.cancelTimer(txn.retry);
    txn.deadline = txn.retry = undefined;
  }

  /** Before PreCommit: nobody can commit, so abort is certain and the client hears `fail` now. */
  function abortEarly(txn: ActiveTxn, reason: string): void {
    clearTimers(txn);
    log.update({ ...record(txn), decision: 'abort' });
    for (const p of txn.shares.keys()) send(p, { type: '3pc/abort', txn: txn.id });
    log.finish(txn.id);
    active.delete(txn.id);
    if (txn.requestId !== undefined) ctx.reply(txn.requestId, { type: 'fail', error: reason });
  }

  function preCommit(txn: ActiveTxn): void {
    txn.phase = 'pre-commit';
    clearTimers(txn);
    log.update(record(txn));
    sendPending(txn);
    txn.deadline = ctx.setTimer(params.preCommitAckTimeoutMs, 'pre-commit-timeout', txn.id);
    if (writingShares(txn.shares) >= 2) ctx.mark(PRE_COMMIT_SENT);
  }

  function decide(txn: ActiveTxn, decision: 'commit' | 'abort', reason?: string): void {
    clearTimers(txn);
    txn.phase = 'decided';
    txn.decision = decision;
    txn.reason = reason;
    log.update({ ...record(txn), decision });
    ctx.log('3pc decision', { txn: txn.id, decision, reason });
    if (!finishIfDone(txn)) sendPending(txn);
  }

  /** (Re-)sends the current phase's message to every participant that has not answered it. */
  function sendPending(txn: ActiveTxn): void {
    for (const p of txn.shares.keys()) {
      if (txn.phase === 'pre-commit' && !txn.results.has(p)) send(p, { type: '3pc/pre-commit', txn: txn.id });
      if (txn.phase === 'decided' && !txn.outcomes.has(p)) send(p, { type: txn.decision === 'commit' ? '3pc/do-commit' : '3pc/abort', txn: txn.id });
    }
    txn.retry = ctx.setTimer(params.retryMs, 'retry', txn.id);
  }

  function finishIfDone(txn: ActiveTxn): boolean {
    if (txn.outcomes.size < txn.shares.size) return false;
    clearTimers(txn);
    log.finish(txn.id);
    active.delete(txn.id);
    if (txn.requestId !== undefined) ctx.reply(txn.requestId, clientOutcome(txn));
    return true;
  }

  function onVote(from: NodeId, vote: VoteMessage): void {
    const txn = active.get(vote.txn);
    if (txn !== undefined && txn.phase !== 'can-commit') {
      // A participant recovered with its vote logged asks where the transaction stands.
      if (txn.phase === 'pre-commit' && !txn.results.has(from)) send(from, { type: '3pc/pre-commit', txn: txn.id });
      if (txn.phase === 'decided' && !txn.outcomes.has(from)) send(from, { type: txn.decision === 'commit' ? '3pc/do-commit' : '3pc/abort', txn: txn.id });
      return;
    }
    if (txn === undefined) {
      const logged = log.get(vote.txn);
      // Never logged: never pre-committed either, so abort (presumed abort).
      if (logged === undefined || logged.participants.includes(from)) send(from, { type: logged?.decision === 'commit' ? '3pc/do-commit' : '3pc/abort', txn: vote.txn });
      return;
    }
    if (!txn.shares.has(from)) return;
    if (!vote.yes) abortEarly(txn, vote.reason ?? `${from} voted no`);
    else if (txn.yes.add(from).size === txn.shares.size) preCommit(txn);
  }

  function onPreCommitAck(from: NodeId, ack: PreCommitAckMessage): void {
    const txn = active.get(ack.txn);
    if (txn?.phase !== 'pre-commit' || !txn.shares.has(from)) return;
    if (!ack.ok) {
      txn.outcomes.set(from, 'aborted');
      decide(txn, 'abort', ack.reason ?? `${from} refused PreCommit`);
      return;
    }
    txn.results.set(from, ack.results ?? []);
    if (txn.results.size === txn.shares.size) decide(txn, 'commit');
  }

  function onAck(from: NodeId, ack: AckMessage): void {
    const txn = active.get(ack.txn);
    if (txn?.phase !== 'decided' || !txn.shares.has(from)) return;
    recordAck(ctx, '3pc', txn, from, ack);
    finishIfDone(txn);
  }

  return {
    onStart() {
      ctx.setRole(COORDINATOR_ROLE);
      const epoch = intake.start(log);
      ctx.log('3pc coordinator up', { epoch, participants, placement: PLACEMENT_RULE });
      for (const rec of log.openRecords()) {
        const txn: ActiveTxn = { id: rec.id, ops: [], shares: recoveredShares(rec.participants), phase: rec.preCommitted ? 'pre-commit' : 'can-commit', yes: new Set(), results: new Map(), outcomes: new Map() };
        active.set(txn.id, txn);
        // Past PreCommit the participants will commit on their own timeout, so the recovering
        // coordinator commits too; before it, they abort on theirs.
        if (rec.decision !== undefined) decide(txn, rec.decision);
        else if (rec.preCommitted) decide(txn, 'commit', 'recovered after PreCommit');
        else abortEarly(txn, 'recovered before PreCommit');
      }
    },

    onClientRequest(request: ClientRequest) {
      const admitted = intake.admit(request);
      if (admitted === undefined) return;
      const { id, shares } = admitted;
      const txn: ActiveTxn = { ...admitted, phase: 'can-commit', yes: new Set(), results: new Map(), outcomes: new Map() };
      active.set(id, txn);
      log.begin(record(txn));
      for (const [p, share] of shares) send(p, { type: '3pc/can-commit', txn: id, ops: share.ops });
      txn.deadline = ctx.setTimer(params.voteTimeoutMs, 'vote-timeout', id);
    },

    onMessage(from: NodeId, message: unknown) {
      if (!isThreePcMessage(message)) return;
      if (message.type === '3pc/vote') onVote(from, message);
      else if (message.type === '3pc/pre-commit-ack') onPreCommitAck(from, message);
      else if (message.type === '3pc/ack') onAck(from, message);
    },

    onTimer(tag: string, data: unknown) {
      const txn = active.get(String(data));
      if (txn === undefined) return;
      if (tag === 'vote-timeout' && txn.phase === 'can-commit') abortEarly(txn, 'vote-timeout: not every participant voted in time');
      else if (tag === 'pre-commit-timeout' && txn.phase === 'pre-commit') decide(txn, 'abort', 'pre-commit-timeout: not every participant acknowledged PreCommit in time');
      else if (tag === 'retry' && txn.phase !== 'can-commit') sendPending(txn);
    },
  };
}
