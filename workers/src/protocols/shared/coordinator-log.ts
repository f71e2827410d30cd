import type { NodeContext, NodeId } from '../../sim/node-context.js';

/** A coordinator's durable record of one transaction. */
export interface CoordinatorRecord {
  id: string;
  /** The participants asked: a restarted coordinator tells exactly these the outcome. */
  participants: NodeId[];
  /** 3PC: PreCommit was (about to be) sent, so participants may commit on their own timeout. */
  preCommitted?: boolean;
  /** The decision, logged before any participant hears it. */
  decision?: 'commit' | 'abort';
}

const EPOCH_KEY = 'coord/epoch';
const OPEN_KEY = 'coord/open';
const recordKey = (id: string): string => `coord/txn/${id}`;

/**
 * The coordinator's log: a record per transaction, written before each phase's messages go out,
 * and the ids of transactions not yet finished (their participants have not all acknowledged).
 * Finished records stay readable so a late inquiry gets the logged answer.
 */
export class CoordinatorLog {
  private readonly openIds: string[];

  constructor(private readonly ctx: NodeContext) {
    this.openIds = ctx.load<string[]>(OPEN_KEY) ?? [];
  }

  /** Counts incarnations so transaction ids stay unique across restarts. */
  nextEpoch(): number {
    const epoch = (this.ctx.load<number>(EPOCH_KEY) ?? 0) + 1;
    this.ctx.persist(EPOCH_KEY, epoch);
    return epoch;
  }

  begin(record: CoordinatorRecord): void {
    this.ctx.persist(recordKey(record.id), record);
    this.openIds.push(record.id);
    this.ctx.persist(OPEN_KEY, this.openIds);
  }

  update(record: CoordinatorRecord): void {
    this.ctx.persist(recordKey(record.id), record);
  }

  finish(id: string): void {
    const at = this.openIds.indexOf(id);
    if (at < 0) return;
    this.openIds.splice(at, 1);
    this.ctx.persist(OPEN_KEY, this.openIds);
  }

  get(id: string): CoordinatorRecord | undefined {
    return this.ctx.load<CoordinatorRecord>(recordKey(id));
  }

  /** Transactions a previous incarnation left unfinished, oldest first. */
  openRecords(): CoordinatorRecord[] {
    return this.openIds.map((id) => this.get(id)).filter((r): r is CoordinatorRecord => r !== undefined);
  }
}
