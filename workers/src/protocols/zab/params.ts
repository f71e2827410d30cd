import { tunables } from '../tunables.js';

/**
 * Tunables of a ZooKeeper server, in milliseconds of its own clock, and the named bugs. Every field
 * can be overridden through `NodeOptions.params`; every queue and batch is bounded.
 */
export interface ZabParams {
  /** Leader ping period; a ping also carries the commit point and resends what is unacknowledged. */
  tickMs: number;
  /** A follower that heard nothing from its leader for this long, or a leader without a quorum for this long, goes back to election. */
  syncLimitMs: number;
  /** A candidate that decided on a leader but could not join it (or gather a quorum as leader) within this long elects again. */
  initLimitMs: number;
  /** Wait after a quorum agrees on a vote, for a better vote to arrive, before deciding (fast leader election's finalize wait). */
  finalizeWaitMs: number;
  /** Period of a LOOKING server's notification rebroadcast. */
  electionRetryMs: number;
  /**
   * 1 (default): a read is preceded by `sync` (a quorum round through the leader), so it is
   * linearizable; 0: reads are served from the connected server's copy as it is (ZooKeeper's plain
   * getData), sequentially consistent but possibly stale.
   */
  syncReads: number;
  /** Messages on one leader→learner link not yet acknowledged; past this the link is reset by a fresh sync. */
  linkWindowMax: number;
  /** Proposals a leader packs into one message per learner. */
  batchMax: number;
  /** How long the leader gathers proposals and commits before it sends them (group commit); 0 sends at the end of each event. */
  batchDelayMs: number;
  /** Client requests an entry server holds while it waits for a leader; past this it fails new ones. */
  queueMax: number;
  /** How long an entry server keeps a request that has not yet left it while no leader is known. */
  parkMs: number;
  /** A snapshot every this many committed transactions; older log entries are dropped. */
  snapshotEveryTxns: number;
  /** A learner further behind than this many transactions is sent a snapshot (SNAP) instead of a DIFF. */
  diffMax: number;
  /** A session with no ping for this long is expired by the leader (its ephemeral nodes deleted in one transaction). */
  sessionTimeoutMs: number;
}

export const DEFAULT_ZAB_PARAMS: Readonly<ZabParams> = {
  tickMs: 50,
  syncLimitMs: 300,
  initLimitMs: 800,
  finalizeWaitMs: 40,
  electionRetryMs: 100,
  syncReads: 1,
  linkWindowMax: 4096,
  batchMax: 128,
  batchDelayMs: 1,
  queueMax: 2048,
  parkMs: 900,
  snapshotEveryTxns: 10_000,
  diffMax: 500,
  sessionTimeoutMs: 4000,
};

export function zabParams(overrides: Readonly<Record<string, number>> = {}): ZabParams {
  const params = tunables('zookeeper', DEFAULT_ZAB_PARAMS, overrides);
  for (const name of ['tickMs', 'syncLimitMs', 'initLimitMs', 'electionRetryMs', 'linkWindowMax', 'batchMax', 'queueMax', 'snapshotEveryTxns', 'diffMax', 'sessionTimeoutMs'] as const) {
    if (params[name] < 1) throw new Error(`zookeeper: param ${name} must be ≥ 1, got ${params[name]}`);
  }
  if (params.syncReads !== 0 && params.syncReads !== 1) throw new Error(`zookeeper: param syncReads must be 0 or 1, got ${params.syncReads}`);
  return params;
}

export const ZAB_BUG_NAMES = ['commit-before-quorum', 'elect-lower-zxid', 'skip-trunc'] as const;

/** Which deliberate bugs a server runs with. */
export interface ZabBugs {
  /** The leader commits (applies and answers) a proposal as soon as it has logged it itself. */
  commitBeforeQuorum: boolean;
  /** Votes compare server ids only, and a leader takes followers whose history is ahead of its own (truncating them). */
  electLowerZxid: boolean;
  /** A follower told to TRUNC keeps its proposals past the leader's history. */
  skipTrunc: boolean;
}

export function zabBugs(bug: string | undefined): ZabBugs {
  if (bug !== undefined && !(ZAB_BUG_NAMES as readonly string[]).includes(bug)) {
    throw new Error(`zookeeper: unknown bug ${JSON.stringify(bug)} (known: ${ZAB_BUG_NAMES.join(', ')})`);
  }
  return { commitBeforeQuorum: bug === 'commit-before-quorum', electLowerZxid: bug === 'elect-lower-zxid', skipTrunc: bug === 'skip-trunc' };
}
