import type { SqlConnector, SqlSession } from '../../src/databases/sql-session.js';

export interface LateCommits {
  connector: SqlConnector;
  /** COMMITs held before they were sent: the server never saw them, and the dropped connection rolled them back. */
  heldBefore: () => number;
  /** COMMITs whose reply was held: the server had answered, so most of these transactions did commit. */
  heldAfter: () => number;
}

/**
 * Wraps a connector so that every `every`-th COMMIT (counted over all its sessions) is late by
 * `holdMs`, alternately before it is sent and after the server replied. With a client timeout well
 * under `holdMs`, each of those transactions ends `info` whatever the machine's speed: a timeout
 * test that waits for a real transaction to be slow passes or fails with the load of the machine.
 * After `limit` late COMMITs the rest are on time, so a run's last transactions (its final reads)
 * complete.
 */
export function lateCommits(connect: SqlConnector, options: { every: number; holdMs: number; limit: number }): LateCommits {
  let commits = 0;
  let before = 0;
  let after = 0;
  const hold = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, options.holdMs).unref());
  const wrap = (session: SqlSession): SqlSession => ({
    dialect: session.dialect,
    backendId: session.backendId,
    close: () => session.close(),
    destroy: () => session.destroy(),
    async query(sql, params) {
      if (sql !== 'COMMIT' || ++commits % options.every !== 0 || before + after >= options.limit) return session.query(sql, params);
      if ((commits / options.every) % 2 === 1) {
        before++;
        await hold();
        return session.query(sql, params);
      }
      after++;
      const reply = await session.query(sql, params).then((rows) => ({ rows }), (error: unknown) => ({ error }));
      await hold();
      if ('error' in reply) throw reply.error;
      return reply.rows;
    },
  });
  return {
    connector: async (target, connectOptions) => wrap(await connect(target, connectOptions)),
    heldBefore: () => before,
    heldAfter: () => after,
  };
}
