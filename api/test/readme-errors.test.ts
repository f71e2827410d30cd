import { readFileSync } from 'node:fs';
import { workersErrors } from '@verdict/workers';
import { describe, expect, it } from 'vitest';

describe('README error table', () => {
  it('lists every simulator and run error code with its status', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const [code, spec] of Object.entries(workersErrors)) expect(readme).toContain(`| \`${code}\` | ${spec.status} |`);
  });
});
