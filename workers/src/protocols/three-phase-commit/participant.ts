import type { ClientRequest, NodeBehaviour, NodeContext, NodeId } from '../../sim/node-context.js';
import type { NodeOptions } from '../protocol.js';
import { answerLocalRead } from '../shared/final-read.js';
import { PARTICIPANT_ROLE } from '../shared/layout.js';
import { isReadOnly } from '../shared/list-append.js';
import { ResourceManager, settledOutcome, type TxnRecord } from '../shared/resource-manager.js';
import { isThreePcMessage, type CanCommitMessage, type ThreePcMessage } from './messages.js';
import { PRE_COMMITTED } from './marks.js';
import { threePcParams } from './params.js';

/**
 * The 3PC participant. CanCommit takes the share's locks (no-wait), logs the yes vote and votes;
 * PreCommit executes the share in place, logs its undo/redo record and acknowledges with the
 * reads; DoCommit or Abort settle it. While up it never blocks on the coordinator: with no
 * PreCommit within `canCommitTimeoutMs` of its yes vote it aborts alone, and with no decision
 * within `preCommitTimeoutMs` of PreCommit it commits alone — which is what splits a transaction
 * when a partition cuts it off after PreCommit. A participant that crashed after voting yes comes
 * back still bound by its vote: PreCommit may have reached the others meanwhile, so it must not
 * abort alone; it asks the coordinator (re-sending its vote) until told the outcome.
 */
export function threePcParticipant(ctx: NodeContext, options: NodeOptions): NodeBehaviour {
  const params = threePcParams(options);
  const rm = new ResourceManager(ctx);

  const send = (to: NodeId, message: ThreePcMessage): void => ctx.send(to, message);
  const ack = (to: NodeId, r: TxnRecord): void => send(to, { type: '3pc/ack', txn: r.id, ...settledOutcome(r) });

  function onCanCommit(from: NodeId, message: CanCommitMessage): void {
    const known = rm.get(message.txn);
    if (known !== undefined) {
      send(from, { type: '3pc/vote', txn: known.id, yes: known.state !== 'aborted', reason: known.state === 'aborted' ? 'already aborted here' : undefined });
      return;
    }
    const locked = rm.lock(message.txn, from, message.ops);
    if (!locked.ok) {
      rm.refuse(message.txn, from);
      send(from, { type: '3pc/vote', txn: message.txn, yes: false, reason: locked.reason });
      return;
    }
    rm.vote(message.txn);
    send(from, { type: '3pc/vote', txn: message.txn, yes: true });
    ctx.setTimer(params.canCommitTimeoutMs, 'can-commit-timeout', message.txn);
  }

  function onPreCommit(from: NodeId, id: string): void {
    let record = rm.get(id);
    const first = record?.state === 'locked';
    if (first) {
      record = rm.execute(id);
      ctx.setTimer(params.preCommitTimeoutMs, 'pre-commit-timeout', id);
    }
    if (record?.state === 'prepared' || record?.state === 'committed') {
      send(from, { type: '3pc/pre-commit-ack', txn: id, ok: true, results: record.results });
      if (first && !isReadOnly(record.ops)) ctx.mark(PRE_COMMITTED, from);
      return;
    }
    // Aborted already (its own timeout, or forgotten in a crash before PreCommit): refuse.
    if (record === undefined) rm.refuse(id, from);
    send(from, { type: '3pc/pre-commit-ack', txn: id, ok: false, reason: `${ctx.id} had already aborted ${id}` });
  }

  function onDecision(from: NodeId, id: string, commit: boolean): void {
    const record = rm.get(id);
    if (record === undefined) {
      // Never locked here, or only locked and forgotten in a crash (a coordinator recovered after
      // PreCommit commits such a share too): nothing of it ran, so it can only be aborted. Saying
      // so ends the coordinator's re-sends.
      ack(from, rm.refuse(id, from, commit ? 'participant' : 'coordinator'));
      return;
    }
    if (record.state === 'locked' || record.state === 'prepared') {
      ack(from, commit ? rm.commit(id, 'coordinator') : rm.abort(id, 'coordinator'));
      return;
    }
    if ((record.state === 'committed') !== commit) {
      ctx.log('3pc decision arrived after this participant settled alone', { txn: id, decision: commit ? 'commit' : 'abort', outcome: record.state });
    }
    ack(from, record);
  }

  function onTimeout(tag: string, id: string): void {
    const record = rm.get(id);
    if (tag === 'can-commit-timeout' && record?.state === 'locked') {
      ctx.log('3pc participant aborts alone: no PreCommit in time', { txn: id });
      rm.abort(id, 'participant');
    } else if (tag === 'pre-commit-timeout' && record?.state === 'prepared') {
      ctx.log('3pc participant commits alone: no decision in time after PreCommit', { txn: id });
      rm.commit(id, 'participant');
    } else if (tag === 'inquire' && record?.state === 'locked') {
      inquire(record);
    }
  }

  /** A share recovered with its yes vote logged: the coordinator's answer (PreCommit, DoCommit, Abort) settles it. */
  function inquire(record: TxnRecord): void {
    send(record.coordinator, { type: '3pc/vote', txn: record.id, yes: true });
    ctx.setTimer(params.canCommitTimeoutMs, 'inquire', record.id);
  }

  return {
    onStart() {
      ctx.setRole(PARTICIPANT_ROLE);
      // A pre-committed share commits on its timeout unless told otherwise; a share that had only
      // voted yes waits for the coordinator's word (issue 10: aborting it alone, or forgetting it,
      // split transactions whose other shares had been pre-committed and committed).
      for (const record of rm.recover()) {
        if (record.state === 'prepared') ctx.setTimer(params.preCommitTimeoutMs, 'pre-commit-timeout', record.id);
        else inquire(record);
      }
    },

    onClientRequest(request: ClientRequest) {
      answerLocalRead(ctx, rm, request);
    },

    onMessage(from: NodeId, message: unknown) {
      if (!isThreePcMessage(message)) return;
      switch (message.type) {
        case '3pc/can-commit':
          onCanCommit(from, message);
          return;
        case '3pc/pre-commit':
          onPreCommit(from, message.txn);
          return;
        case '3pc/do-commit':
          onDecision(from, message.txn, true);
          return;
        case '3pc/abort':
          onDecision(from, message.txn, false);
          return;
        default:
          return;
      }
    },

    onTimer(tag: string, data: unknown) {
      onTimeout(tag, String(data));
    },
  };
}
