import { isVerdictError } from '@verdict/checker';
import { describe, expect, it } from 'vitest';
import { WorkersError, workersErrors } from '../src/errors.js';
import { isPermanentJobError } from '../src/queue/job-errors.js';

describe('workers error codes', () => {
  it('are VRD_ERR_<AREA>_<WHAT>, each with a message template and an HTTP status', () => {
    for (const [code, spec] of Object.entries(workersErrors)) {
      expect(code).toMatch(/^VRD_ERR_(RUN|SIM|TARGET)_[A-Z]+(_[A-Z]+)*$/);
      expect(spec.message).toContain('%s');
      expect([400, 403, 404, 409, 413, 422, 500, 502, 503]).toContain(spec.status);
    }
    expect(Object.keys(workersErrors).sort()).toEqual([
      'VRD_ERR_RUN_BUG', 'VRD_ERR_RUN_NEMESIS', 'VRD_ERR_RUN_PROTOCOL', 'VRD_ERR_RUN_REQUIRE', 'VRD_ERR_RUN_SPEC', 'VRD_ERR_RUN_SWARM',
      'VRD_ERR_SIM_BUDGET', 'VRD_ERR_SIM_NODE', 'VRD_ERR_SIM_PROTOCOL',
      'VRD_ERR_TARGET_CONNECT', 'VRD_ERR_TARGET_NOT_ALLOWED', 'VRD_ERR_TARGET_SPEC', 'VRD_ERR_TARGET_SQL', 'VRD_ERR_TARGET_URL',
    ]);
  });

  it('carry the reproduce command, survive a structured clone, and match by code', () => {
    const e = new WorkersError('VRD_ERR_SIM_NODE', 'n1 threw', { reproduce: 'verdict run --protocol paxos --seed 3' });
    expect(e.message).toBe('a protocol node failed: n1 threw\n  reproduce: verdict run --protocol paxos --seed 3');
    expect(e.status).toBe(500);
    expect(e.toJSON()).toEqual({ code: 'VRD_ERR_SIM_NODE', message: e.message, status: 500, reproduce: 'verdict run --protocol paxos --seed 3' });
    const cloned = structuredClone(e.toJSON());
    expect(isVerdictError(cloned)).toBe(true);
    expect(isVerdictError(e)).toBe(true);
  });

  it('fail a job at once when a retry would fail the same way: bad input, or a deterministic run that failed', () => {
    // A database that could not be reached, or failed a statement, may do better on the next attempt.
    const transient = new Set(['VRD_ERR_TARGET_CONNECT', 'VRD_ERR_TARGET_SQL']);
    for (const code of Object.keys(workersErrors) as (keyof typeof workersErrors)[]) {
      if (transient.has(code)) {
        expect(isPermanentJobError(new WorkersError(code, 'x'))).toBe(false);
        continue;
      }
      expect(isPermanentJobError(new WorkersError(code, 'x'))).toBe(true);
      expect(isPermanentJobError(structuredClone(new WorkersError(code, 'x').toJSON()))).toBe(true);
    }
    expect(isPermanentJobError(new Error('connection reset'))).toBe(false);
    expect(isPermanentJobError({ code: 'VRD_ERR_CHECK_WORKER', status: 500 })).toBe(false);
  });
});
