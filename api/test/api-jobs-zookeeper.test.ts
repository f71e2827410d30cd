import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateAgainst } from './support/gate.js';
import { databaseBackends } from './support/services.js';
import { testApp, waitForJob, type TestApp } from './support/test-app.js';

/**
 * ZooKeeper through the service: `POST /jobs` with protocol "zookeeper" runs the ensemble in the
 * simulator and checks it (sync'd reads by default; params.syncReads 0 for ZooKeeper's local
 * reads), and `verdict gate --protocol zookeeper` gates on it. Nothing here is ZooKeeper-specific
 * in the service: the protocol registry is the whole integration.
 */

const backends = await databaseBackends();

describe.each(backends)('zookeeper jobs through the API (%s)', (backend) => {
  let t: TestApp;
  let auth: string;
  beforeAll(async () => {
    t = await testApp('api_jobs_zookeeper', {}, backend);
    auth = await t.token(['submit']);
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (payload: object) => t.app.inject({ method: 'POST', url: '/jobs', headers: { authorization: auth }, payload });
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: auth } });

  it('runs the ensemble with sync\'d reads (linearizable) and with local reads (sequential, stale follower reads)', async () => {
    const synced = await post({ protocol: 'zookeeper', nemesis: 'crash-leader', seed: 2, ops: 400 });
    expect(synced.statusCode, synced.body).toBe(202);
    expect(await waitForJob(t.app, auth, synced.json().id)).toMatchObject({ status: 'done', outcome: 'ok', consistency: 'strong' });
    // Staleness without faults is a matter of timing: seed 2 has a follower read behind a write.
    const local = await post({ protocol: 'zookeeper', nemesis: 'none', seed: 2, ops: 500, params: { syncReads: 0 } });
    expect(local.statusCode, local.body).toBe(202);
    expect(await waitForJob(t.app, auth, local.json().id)).toMatchObject({ status: 'done', outcome: 'violated', consistency: 'sequential' });
    const report = (await get(`/jobs/${local.json().id}/report`)).json();
    expect(report.run.reproduce).toBe('verdict run --protocol zookeeper --nemesis none --seed 2 --ops 500 --reads local');
    expect((await post({ protocol: 'zookeeper', seed: 1, bug: 'no-such-bug' })).json()).toMatchObject({ code: 'VRD_ERR_RUN_BUG', status: 400 });
    expect((await post({ protocol: 'zookeeper', seed: 1, params: { syncReads: 2 } })).json()).toMatchObject({ code: 'VRD_ERR_RUN_SPEC', status: 400 });
  }, 120_000);

  it('gates a zookeeper run: a named bug fails the gate', async () => {
    const gate = await gateAgainst(t, auth);
    const ok = await gate('--protocol', 'zookeeper', '--nemesis', 'crash-leader', '--seed', '1', '--ops', '300', '--require', 'strong');
    expect(ok.code, ok.err + ok.out).toBe(0);
    const bad = await gate('--protocol', 'zookeeper', '--nemesis', 'isolate-leader', '--scenario', 'leader-cut-off-after-proposing', '--bug', 'commit-before-quorum', '--seed', '1', '--ops', '1500', '--require', 'strong');
    expect(bad.code, bad.err + bad.out).toBe(1);
  }, 180_000);
});

describe('zookeeper in the web UI', () => {
  it('offers its bugs, scenarios and name in the job list filters', async () => {
    const { runCatalog } = await import('../src/web/run-catalog.js');
    const { KNOWN_PROTOCOLS } = await import('../src/web/filters.js');
    const catalog = await runCatalog();
    expect(KNOWN_PROTOCOLS).toContain('zookeeper');
    expect(catalog.bugs).toEqual(expect.arrayContaining(['commit-before-quorum', 'elect-lower-zxid', 'skip-trunc']));
    expect(catalog.scenarios).toEqual(expect.arrayContaining(['leader-cut-off-after-proposing', 'leader-dies-as-laggard-returns']));
  });
});
