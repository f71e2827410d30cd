import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VerdictError, checkerErrors, isVerdictError } from '../src/index.js';

describe('checker error codes', () => {
  it('names every code VRD_ERR_<AREA>_<WHAT> with a message template and an HTTP status', () => {
    for (const [code, spec] of Object.entries(checkerErrors)) {
      expect(code).toMatch(/^VRD_ERR_[A-Z]+_[A-Z_]+$/);
      expect(spec.message).toContain('%s');
      expect([400, 401, 403, 404, 409, 413, 415, 422, 429, 500]).toContain(spec.status);
    }
  });

  it('formats the place and the reason, and survives a structured clone', () => {
    const e = new VerdictError('VRD_ERR_HISTORY_FIELD', 'unknown type "okay"', { file: 'h.jsonl', line: 7, field: 'type' });
    expect(e.message).toBe('h.jsonl, line 7, field type: invalid operation field: unknown type "okay"');
    expect(e.status).toBe(422);
    const cloned = structuredClone({ code: e.code, message: e.message });
    expect(isVerdictError(cloned)).toBe(true);
    expect(isVerdictError(new Error('plain'))).toBe(false);
  });

  it('lists every code, with its status, in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const [code, spec] of Object.entries(checkerErrors)) expect(readme).toContain(`| \`${code}\` | ${spec.status} |`);
  });
});
