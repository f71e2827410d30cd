import { describe, expect, it } from 'vitest';
import { run } from '../src/run.js';

/**
 * Issue 10: on runs of 20,000 operations under partition-halves, a write that ended
 * indeterminate reached the log a second time after more than 8,192 other commands, when the
 * state machine's bounded window of command ids had forgotten it, and took effect twice (seed
 * 109: write 37, an ok cas 37→38, later writes up to 70, every final read 37). The session table
 * (each client's last request number and reply) applies it once however late the copy comes.
 */
describe('paxos applies each client request exactly once on long runs', () => {
  for (const seed of [109, 136, 172]) {
    it(`partition-halves, seed ${seed}, 20,000 ops: linearizable`, async () => {
      const result = await run({ protocol: 'paxos', nemesis: 'partition-halves', seed, ops: 20_000 });
      expect(result.report.verdict.outcome, result.facts.reproduce).toBe('ok');
      expect(result.report.verdict.consistency, result.facts.reproduce).toBe('strong');
    });
  }
});
