import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WRITE_THEN_READ, multipart } from './support/http.js';
import { testApp, type TestApp } from './support/test-app.js';

/**
 * Job bodies are read strictly and helpfully: an unknown field is an error naming it (with the
 * field meant, when close), null means absent, a model is checked at submission, and a history
 * that is missing or empty is said to be so.
 */
describe('strict job specs', () => {
  let t: TestApp;
  let auth: string;
  beforeAll(async () => {
    // No job runs: these tests are about what is accepted.
    t = await testApp('api_run_specs', { concurrency: 1, reconcileMs: 3_600_000 }, 'embedded');
    auth = await t.token(['submit']);
  });
  afterAll(async () => {
    await t?.close();
  });

  const json = (url: string, body: unknown) =>
    t.app.inject({ method: 'POST', url, headers: { authorization: auth, 'content-type': 'application/json' }, payload: JSON.stringify(body) });

  it.each([
    ['a misspelt run field', { protocol: 'paxos', nemisis: 'partition-halves', sed: 7 }, 'body.nemisis', /unknown field \(did you mean "nemesis"\?\)/],
    ['another misspelt run field', { protocol: 'paxos', nemesis: 'partition-halves', sed: 7 }, 'body.sed', /did you mean "seed"/],
    ['a run field nothing like any', { protocol: 'paxos', colour: 'red' }, 'body.colour', /^body\.colour: invalid request: unknown field$/],
    ['a misspelt history', { histroy: WRITE_THEN_READ, model: 'register' }, 'body.histroy', /did you mean "history"/],
    ['a misspelt check option', { history: WRITE_THEN_READ, modle: 'register' }, 'body.modle', /did you mean "model"/],
    ['an empty history', { history: [] }, 'body.history', /the history is empty/],
    ['an empty history text', { history: '  ' }, 'body.history', /the history text is empty/],
    ['a history of the wrong type', { history: 5 }, 'body.history', /must be an array of op maps or the history file's text, not number/],
    ['an op that is not a map', { history: [WRITE_THEN_READ[0], 7] }, 'body.history[1]', /each operation must be an object/],
    ['neither a history nor a protocol', { model: 'register' }, 'body', /send "history" \(a history to check\), "protocol" \(a protocol to run\) or "target" \(a database to test\)/],
    ['an unknown model in the body', { history: WRITE_THEN_READ, model: 'registr' }, 'body.model', /unknown model "registr" \(did you mean "register"\?\)/],
    ['a run field of the wrong type', { protocol: 'paxos', seed: 'seven' }, 'body.seed', /integer/],
  ])('%s: 400 naming the field', async (_what, body, field, message) => {
    const res = await json('/jobs', body);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VRD_ERR_API_INVALID', location: { field } });
    expect(res.json().message).toMatch(message);
  });

  it('takes null as absent, as the OpenAPI example sends it', async () => {
    const res = await json('/jobs', { protocol: 'paxos', nemesis: 'partition-halves', seed: 7, ops: 50, bug: null, scenario: null, nemesisTrigger: null });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().spec).toEqual({ protocol: 'paxos', nemesis: 'partition-halves', seed: 7, ops: 50 });
    const seeded = await json('/jobs', { protocol: 'paxos', seed: null });
    expect(seeded.statusCode, seeded.body).toBe(202);
    expect(Number.isSafeInteger(seeded.json().spec.seed)).toBe(true);
    // In a check, null is a value of the model's state: init null is kept.
    const check = await json('/jobs', { history: WRITE_THEN_READ, model: 'register', init: null, source: null });
    expect(check.statusCode, check.body).toBe(202);
    expect(check.json().spec).toMatchObject({ model: 'register', init: null, source: 'upload' });
  });

  it('refuses an unknown model at submission, however it is sent', async () => {
    const query = await t.app.inject({ method: 'POST', url: '/jobs?model=nope', headers: { authorization: auth, 'content-type': 'application/x-ndjson' }, payload: WRITE_THEN_READ.map((o) => JSON.stringify(o)).join('\n') });
    expect(query.statusCode, query.body).toBe(400);
    expect(query.json()).toMatchObject({ code: 'VRD_ERR_API_INVALID', location: { field: 'querystring.model' } });
    expect(query.json().message).toMatch(/unknown model "nope" \(known: register,/);
    const array = await json('/jobs?model=nope', WRITE_THEN_READ);
    expect(array.json()).toMatchObject({ status: 400, location: { field: 'querystring.model' } });
    const form = multipart([{ name: 'model', value: 'nope' }, { name: 'history', value: WRITE_THEN_READ.map((o) => JSON.stringify(o)).join('\n'), filename: 'h.jsonl' }]);
    const viaForm = await t.app.inject({ method: 'POST', url: '/jobs', headers: { authorization: auth, 'content-type': form.contentType }, payload: form.body });
    expect(viaForm.json()).toMatchObject({ status: 400, location: { field: 'form.model' } });
    // And an initial state the model cannot take.
    const badInit = await json('/jobs', { history: WRITE_THEN_READ, model: 'counter', init: 'x' });
    expect(badInit.statusCode, badInit.body).toBe(400);
    expect(badInit.json()).toMatchObject({ code: 'VRD_ERR_MODEL_INIT', location: { field: 'body.init' } });
    expect(await t.db.prisma.job.count({ where: { kind: 'check' } })).toBe(1);
  });
});
