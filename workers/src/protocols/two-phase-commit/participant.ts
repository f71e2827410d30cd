import type { ClientRequest, NodeBehaviour, NodeContext, NodeId } from '../../sim/node-context.js';
import type { NodeOptions } from '../protocol.js';
import { answerLocalRead } from '../shared/final-read.js';
import { PARTICIPANT_ROLE } from '../shared/layout.js';
import { isReadOnly } from '../shared/list-append.js';
import { ResourceManager, settledOutcome, type TxnRecord } from '../shared/resource-manager.js';
import { PREPARED } from './marks.js';
import { isTwoPcMessage, type DecisionMessage, type PrepareMessage, type TwoPcMessage } from './messages.js';
import { twoPcParams } from './params.js';

/** The bug that lets an in-doubt participant settle a transaction alone. */
export const PARTICIPANT_TIMEOUT_DECIDES = 'participant-timeout-decides';

/**
 * The 2PC participant. A prepare takes the share's locks (no-wait), executes it in place with
 * its undo/redo record logged, and votes yes with the reads; a lock conflict votes no. After a
 * yes vote the participant is in doubt: it holds its locks until the decision arrives, asking the
 * coordinator again and again — it never decides alone, so if the coordinator is down its keys
 * stay blocked. Under bug `participant-timeout-decides` it gives up after `inDoubtTimeoutMs` and
 * commits or aborts on its own (a coin from its rng), as a heuristic decision would.
 */
export function twoPcParticipant(ctx: NodeContext, options: NodeOptions): NodeBehaviour {
  const params = twoPcParams(options);
  const decidesAlone = options.bug === PARTICIPANT_TIMEOUT_DECIDES;
  const rm = new ResourceManager(ctx);
  /** Each in-doubt transaction: since when it waits (this incarnation's clock), and whether that was logged. */
  const inDoubt = new Map<string, { sinceMs: number; reported: boolean }>();

  const send = (to: NodeId, message: TwoPcMessage): void => ctx.send(to, message);

  function awaitDecision(record: TxnRecord): void {
    inDoubt.set(record.id, { sinceMs: ctx.now(), reported: false });
    ctx.setTimer(params.inquiryIntervalMs, 'in-doubt', record.id);
  }

  function ack(to: NodeId, record: TxnRecord): void {
    send(to, { type: '2pc/ack', txn: record.id, ...settledOutcome(record) });
  }

  function onPrepare(from: NodeId, prepare: PrepareMessage): void {
    const known = rm.get(prepare.txn);
    if (known !== undefined) {
      // A duplicated or late prepare gets the answer already given; nothing runs twice.
      if (known.state === 'prepared') send(from, { type: '2pc/vote', txn: known.id, yes: true, results: known.results });
      else if (known.state === 'aborted') send(from, { type: '2pc/vote', txn: known.id, yes: false, reason: 'already aborted here' });
      return;
    }
    const prepared = rm.prepare(prepare.txn, from, prepare.ops);
    if (!prepared.ok) {
      rm.refuse(prepare.txn, from);
      send(from, { type: '2pc/vote', txn: prepare.txn, yes: false, reason: prepared.reason });
      return;
    }
    send(from, { type: '2pc/vote', txn: prepare.txn, yes: true, results: prepared.record.results });
    awaitDecision(prepared.record);
    if (!isReadOnly(prepare.ops)) ctx.mark(PREPARED, from);
  }

  function onDecision(from: NodeId, decision: DecisionMessage): void {
    const known = rm.get(decision.txn);
    if (known === undefined) {
      // Never prepared here (the prepare was lost or is still on its way): only abort is possible.
      if (!decision.commit) ack(from, rm.refuse(decision.txn, from));
      return;
    }
    if (known.state === 'prepared' || known.state === 'locked') {
      inDoubt.delete(known.id);
      ack(from, decision.commit ? rm.commit(known.id, 'coordinator') : rm.abort(known.id, 'coordinator'));
      return;
    }
    if ((known.state === 'committed') !== decision.commit) {
      ctx.log('2pc decision arrived after this participant decided alone', { txn: known.id, decision: decision.commit ? 'commit' : 'abort', outcome: known.state });
    }
    ack(from, known);
  }

  function onInDoubtTimer(id: string): void {
    const record = rm.get(id);
    const waiting = inDoubt.get(id);
    if (record?.state !== 'prepared' || waiting === undefined) return;
    const waitedMs = ctx.now() - waiting.sinceMs;
    if (waitedMs >= params.inDoubtTimeoutMs && decidesAlone) {
      inDoubt.delete(id);
      const commit = ctx.rng.chance(0.5);
      ctx.log('2pc participant decides alone (bug participant-timeout-decides)', { txn: id, decision: commit ? 'commit' : 'abort' });
      if (commit) rm.commit(id, 'participant');
      else rm.abort(id, 'participant');
      return;
    }
    if (waitedMs >= params.inDoubtTimeoutMs && !waiting.reported) {
      // Once per transaction: the evidence that 2PC blocks, for whoever reads the run's log.
      waiting.reported = true;
      ctx.log('2pc participant blocked in doubt, holding its locks until the coordinator answers', { txn: id, waitedMs, keys: record.locks.map((l) => l.key) });
    }
    send(record.coordinator, { type: '2pc/inquiry', txn: id });
    ctx.setTimer(params.inquiryIntervalMs, 'in-doubt', id);
  }

  return {
    onStart() {
      ctx.setRole(PARTICIPANT_ROLE);
      const recovered = rm.recover();
      if (recovered.length > 0) ctx.log('2pc participant recovered prepared transactions', { txns: recovered.map((r) => r.id), lockedKeys: rm.lockedKeys() });
      for (const record of recovered) awaitDecision(record);
    },

    onClientRequest(request: ClientRequest) {
      answerLocalRead(ctx, rm, request);
    },

    onMessage(from: NodeId, message: unknown) {
      if (!isTwoPcMessage(message)) return;
      if (message.type === '2pc/prepare') onPrepare(from, message);
      else if (message.type === '2pc/decision') onDecision(from, message);
    },

    onTimer(tag: string, data: unknown) {
      if (tag === 'in-doubt') onInDoubtTimer(String(data));
    },
  };
}
