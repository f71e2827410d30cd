import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateAgainst } from './support/gate.js';
import { databaseBackends } from './support/services.js';
import { testApp, waitForJob, type TestApp } from './support/test-app.js';

/**
 * The Curator-style recipes through the service: `POST /jobs` with protocol zk-lock, zk-latch,
 * zk-counter or zk-barrier runs the recipe on the simulated ZooKeeper and judges it by its model
 * (mutex, counter, barrier); the report names that model and the workload; `verdict gate` fails on
 * a recipe's named bug and passes the correct recipe.
 */

const backends = await databaseBackends();

describe.each(backends)('recipe jobs through the API (%s)', (backend) => {
  let t: TestApp;
  let auth: string;
  beforeAll(async () => {
    t = await testApp('api_jobs_zk_recipes', {}, backend);
    auth = await t.token(['submit']);
  });
  afterAll(async () => {
    await t?.close();
  });

  const post = (payload: object) => t.app.inject({ method: 'POST', url: '/jobs', headers: { authorization: auth }, payload });
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: auth } });

  it('runs each correct recipe as ok under partitions, and names its model and workload in the report', async () => {
    for (const [protocol, model] of [['zk-lock', 'mutex'], ['zk-latch', 'mutex'], ['zk-counter', 'counter'], ['zk-barrier', 'barrier']] as const) {
      const res = await post({ protocol, nemesis: 'partition-halves', seed: 1, ops: 300 });
      expect(res.statusCode, res.body).toBe(202);
      const job = await waitForJob(t.app, auth, res.json().id, 60_000);
      expect(job, protocol).toMatchObject({ status: 'done', outcome: 'ok' });
      const report = (await get(`/jobs/${res.json().id}/report`)).json();
      expect(report.model, protocol).toBe(model);
      expect(report.run.workload, protocol).toBe(model);
    }
  }, 180_000);

  it('catches lock-no-session-check (two holders) and counter-blind-set (lost increments), with their replay commands', async () => {
    const lock = await post({ protocol: 'zk-lock', bug: 'lock-no-session-check', nemesis: 'partition-halves', seed: 1, ops: 400 });
    expect(lock.statusCode, lock.body).toBe(202);
    expect(await waitForJob(t.app, auth, lock.json().id, 60_000)).toMatchObject({ status: 'done', outcome: 'violated' });
    const lockReport = (await get(`/jobs/${lock.json().id}/report`)).json();
    expect(lockReport.run.reproduce).toBe('verdict run --protocol zk-lock --nemesis partition-halves --seed 1 --ops 400 --bug lock-no-session-check');
    const counter = await post({ protocol: 'zk-counter', bug: 'counter-blind-set', nemesis: 'none', seed: 1, ops: 400 });
    expect(await waitForJob(t.app, auth, counter.json().id, 60_000)).toMatchObject({ status: 'done', outcome: 'violated' });
    expect((await post({ protocol: 'zk-lock', seed: 1, bug: 'counter-blind-set' })).json()).toMatchObject({ code: 'VRD_ERR_RUN_BUG', status: 400 });
  }, 180_000);

  it('gates a recipe: the correct counter passes, counter-blind-set fails the gate', async () => {
    const gate = await gateAgainst(t, auth);
    const ok = await gate('--protocol', 'zk-counter', '--nemesis', 'crash-leader', '--seed', '1', '--ops', '300', '--require', 'strong');
    expect(ok.code, ok.err + ok.out).toBe(0);
    const bad = await gate('--protocol', 'zk-counter', '--nemesis', 'none', '--bug', 'counter-blind-set', '--seed', '1', '--ops', '300', '--require', 'strong');
    expect(bad.code, bad.err + bad.out).toBe(1);
  }, 180_000);
});

describe('the recipes in the web UI', () => {
  it('offers their names and bugs in the job list filters', async () => {
    const { runCatalog } = await import('../src/web/run-catalog.js');
    const { KNOWN_PROTOCOLS } = await import('../src/web/filters.js');
    const catalog = await runCatalog();
    expect(KNOWN_PROTOCOLS).toEqual(expect.arrayContaining(['zk-lock', 'zk-latch', 'zk-counter', 'zk-barrier']));
    expect(catalog.bugs).toEqual(expect.arrayContaining(['lock-no-session-check', 'lock-watch-parent', 'counter-blind-set', 'barrier-count-self-out']));
  });
});
