/** Assertions shared by the isolation tests. */
import { expect } from 'vitest';
import { checkIsolation, type History, type IsolationOptions, type IsolationResult } from '../../src/index.js';

/** The set of anomaly types a result reports, sorted. */
export function typesOf(result: IsolationResult): string[] {
  return [...new Set(result.anomalies.map((a) => a.type))].sort();
}

/**
 * Checks `history` and asserts exactly these anomaly types and this strongest level; returns the
 * result for further checks. Every anomaly must come with transactions and a sentence.
 */
export function expectIsolation(history: History, types: string[], strongest: IsolationResult['strongest'], options: IsolationOptions = {}): IsolationResult {
  const result = checkIsolation(history, options);
  expect(typesOf(result), sentences(result)).toEqual([...types].sort());
  expect(result.strongest, sentences(result)).toBe(strongest);
  for (const anomaly of result.anomalies) {
    expect(anomaly.transactions.length).toBeGreaterThan(0);
    expect(anomaly.sentence.length).toBeGreaterThan(10);
    expect(anomaly.rulesOut.length).toBeGreaterThan(0);
  }
  expect(result.unknown).toEqual([]);
  return result;
}

function sentences(result: IsolationResult): string {
  return result.anomalies.map((a) => `${a.type}: ${a.sentence}`).join('\n');
}

/** The sentence of the first anomaly of a type. */
export function sentenceOf(result: IsolationResult, type: string): string {
  const found = result.anomalies.find((a) => a.type === type);
  expect(found, `no ${type} in ${typesOf(result).join(', ')}`).toBeDefined();
  return found!.sentence;
}
