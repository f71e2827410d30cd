import { isRequiredLevel, meetsRequirement, REQUIRABLE_LEVELS, type RequiredLevel, type Requirement } from '@verdict/checker';
import { WorkersError } from '../errors.js';
import type { RunResult } from './result.js';

/** Parses a `--require` level: a consistency or isolation level, `linearizable`, or `atomic`. */
export function parseRequiredLevel(level: string): RequiredLevel {
  if (!isRequiredLevel(level)) throw new WorkersError('VRD_ERR_RUN_REQUIRE', `${JSON.stringify(level)} (known: ${REQUIRABLE_LEVELS.join(', ')})`);
  return level;
}

/**
 * Does the run meet the level? `yes` / `no` / `unknown` with the reason, read off the checker's
 * report (`unknown` is never a pass). Availability is a separate verdict: a blocked run that
 * stayed consistent still meets a consistency requirement.
 */
export function evaluateRequirement(result: Pick<RunResult, 'report'>, level: string): { result: Requirement; reason: string } {
  return meetsRequirement(result.report, parseRequiredLevel(level));
}
