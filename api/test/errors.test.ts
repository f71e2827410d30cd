import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { VerdictError } from '@verdict/checker';
import { JOB_ERROR_CODES, WorkersError } from '@verdict/workers';
import { ApiError, apiErrors, toErrorBody } from '../src/errors.js';

const STATUSES = new Set([400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 503]);

describe('the service\'s error codes', () => {
  it('are VRD_ERR_<AREA>_<WHAT>, each with a message template and a status', () => {
    for (const [code, spec] of Object.entries(apiErrors)) {
      expect(code).toMatch(/^VRD_ERR_(API|JOB|TOKEN|DB|CONFIG)(_[A-Z]+)*$/);
      expect(spec.message, code).toContain('%s');
      expect(STATUSES.has(spec.status), `${code} ${spec.status}`).toBe(true);
    }
  });

  it('include every code the job runner stores on a failed job', () => {
    for (const code of Object.values(JOB_ERROR_CODES)) expect(Object.keys(apiErrors)).toContain(code);
  });

  it('are exactly the ones docs/service.md lists, with the same statuses', async () => {
    const doc = await readFile(new URL('../../docs/service.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| `(VRD_ERR_\w+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(rows).toEqual(Object.entries(apiErrors).map(([code, spec]) => [code, spec.status]));
  });

  it('give one body shape for our errors, the checker\'s and the simulator\'s, naming the field or line', () => {
    expect(new ApiError('VRD_ERR_API_INVALID', 'must be integer', { field: 'body.seed' }).toJSON()).toEqual({
      code: 'VRD_ERR_API_INVALID', message: 'body.seed: invalid request: must be integer', status: 400, location: { field: 'body.seed' },
    });
    const checker = new VerdictError('VRD_ERR_HISTORY_FIELD', 'unknown type "done"', { file: 'h.jsonl', line: 2, field: 'type' });
    expect(toErrorBody(checker)).toEqual({ code: 'VRD_ERR_HISTORY_FIELD', status: 422, message: checker.message, location: { file: 'h.jsonl', line: 2, field: 'type' } });
    // Across a process boundary only the plain fields survive: matched by code, not instanceof.
    expect(toErrorBody(JSON.parse(JSON.stringify(checker)))).toMatchObject({ code: 'VRD_ERR_HISTORY_FIELD', status: 422 });
    expect(toErrorBody(new WorkersError('VRD_ERR_RUN_BUG', '"x" for paxos'))).toMatchObject({ code: 'VRD_ERR_RUN_BUG', status: 400 });
  });

  it('map fastify\'s errors, and hide the cause of anything unexpected', () => {
    expect(toErrorBody({ validation: [{ instancePath: '/spec/ops', keyword: 'minimum', message: 'must be >= 1' }], validationContext: 'body' }))
      .toEqual({ code: 'VRD_ERR_API_INVALID', message: 'body.spec.ops: invalid request: must be >= 1', status: 400, location: { field: 'body.spec.ops' } });
    expect(toErrorBody({ validation: [{ instancePath: '', keyword: 'required', params: { missingProperty: 'protocol' }, message: "must have required property 'protocol'" }], validationContext: 'body' }).location)
      .toEqual({ field: 'body.protocol' });
    expect(toErrorBody({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413, message: 'Request body is too large' })).toMatchObject({ code: 'VRD_ERR_API_TOO_LARGE', status: 413 });
    expect(toErrorBody({ code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415, message: 'Unsupported Media Type: application/xml' })).toMatchObject({ code: 'VRD_ERR_API_MEDIA_TYPE', status: 415 });
    expect(toErrorBody({ code: 'FST_ERR_HANDLER_TIMEOUT', statusCode: 503, message: 'timed out' })).toMatchObject({ code: 'VRD_ERR_API_TIMEOUT', status: 503 });
    const down = Object.assign(new Error('Raw query failed'), { name: 'PrismaClientKnownRequestError', code: 'P2010', meta: { driverAdapterError: { cause: { kind: 'DatabaseNotReachable' } } } });
    expect(toErrorBody(down)).toMatchObject({ code: 'VRD_ERR_API_UNAVAILABLE', status: 503 });
    expect(toErrorBody(Object.assign(new Error('x'), { name: 'PrismaClientKnownRequestError', code: 'P1001' }))).toMatchObject({ code: 'VRD_ERR_API_UNAVAILABLE' });
    expect(toErrorBody(new Error('password=hunter2 in a stack'))).toEqual({ code: 'VRD_ERR_API_INTERNAL', message: 'internal error: see the server log', status: 500 });
  });
});
