import { describe, expect, it } from 'vitest';
import { Election } from '../src/protocols/zab/election.js';
import type { Vote } from '../src/protocols/zab/messages.js';
import { run } from '../src/run.js';
import type { RunSpec } from '../src/run/spec.js';

/**
 * ZAB on links that duplicate (and lose) messages (issue 13). A LOOKING server answered every
 * notification from a server in another round, answers included: an observer (whose round no
 * voter adopts) and a voter in an older round answered each other for good, and each duplicated
 * notification started one more such exchange, until the run went past its event budget. Answers
 * are no longer answered. The swarm's replays, each of which used to end in that livelock.
 */

const LIVELOCKS: { name: string; spec: RunSpec }[] = [
  {
    name: 'zk-lock bridge seed 2618866, 3.9 % duplication',
    spec: { protocol: 'zk-lock', nemesis: 'bridge', seed: 2618866, ops: 499, nodes: 5, clients: 4, concurrency: 3, network: { duplicateProbability: 0.039 } },
  },
  {
    name: 'zookeeper crash-leader seed 143226513, 4.2 % loss and 9.7 % duplication',
    spec: { protocol: 'zookeeper', nemesis: 'crash-leader', seed: 143226513, ops: 280, nodes: 6, clients: 1, network: { lossProbability: 0.042, duplicateProbability: 0.097 } },
  },
];

describe('ZAB on duplicating links', () => {
  it.each(LIVELOCKS)('$name: the run ends, and nothing is violated', async ({ spec }) => {
    const r = await run(spec);
    expect(r.facts.messages.duplicated).toBeGreaterThan(0);
    expect(r.report.verdict.outcome, r.headline).not.toBe('violated');
    expect(r.report.verdict.outcome, r.headline).not.toBe('unknown');
  }, 60_000);

  it('an old copy of a vote does not undo the better vote its sender cast since, in the same round', () => {
    const own: Vote = { leader: 'n1', epoch: 1, zxid: 5 };
    const e = new Election('n1', ['n1', 'n2', 'n3'], 2, false, own);
    e.restart(own);
    const better: Vote = { leader: 'n3', epoch: 1, zxid: 9 };
    const worse: Vote = { leader: 'n2', epoch: 1, zxid: 1 };
    // n2 first voted for itself, then for n3; its first notification arrives last (a duplicate).
    e.onNotification('n2', { type: 'notification', round: e.round, vote: better, state: 'looking' });
    expect(e.vote).toEqual(better);
    expect(e.hasQuorum()).toBe(true);
    const late = e.onNotification('n2', { type: 'notification', round: e.round, vote: worse, state: 'looking' });
    expect(late).toEqual({ changed: false, answer: false });
    expect(e.hasQuorum()).toBe(true);
  });
});
