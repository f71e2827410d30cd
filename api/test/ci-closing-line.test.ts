import { describe, expect, it } from 'vitest';
import { closingLine } from './support/closing-line-reporter.js';

type State = 'passed' | 'failed' | 'skipped' | 'pending';

function moduleOf(states: State[], moduleState: 'passed' | 'failed' = 'passed') {
  return {
    state: () => moduleState,
    children: { *allTests() { for (const state of states) yield { result: () => ({ state }) }; } },
  } as never;
}

describe('the closing line of a test run', () => {
  it('counts passed, failed and skipped tests across modules in the plain form CI reads', () => {
    const line = closingLine([moduleOf(['passed', 'passed', 'skipped']), moduleOf(['failed', 'passed', 'pending'])]);
    expect(line).toBe('3 passed, 1 failed, 2 skipped');
    expect(line).toMatch(/^\d+ passed, \d+ failed(, \d+ skipped)?$/);
  });

  it('counts a module that failed to load, with no tests, as a failure', () => {
    expect(closingLine([moduleOf([], 'failed'), moduleOf(['passed'])])).toBe('1 passed, 1 failed, 0 skipped');
  });
});
