import { describe, expect, it } from 'vitest';
import type { ProtocolDefinition } from '../src/protocols/protocol.js';
import { PROTOCOLS } from '../src/protocols/registry.js';
import { reproduceCommand, resolveRunSpec, type RunSpec } from '../src/run/spec.js';
import { evaluateRequirement, parseRequiredLevel } from '../src/run/require.js';
import { primaryBackup } from './support/primary-backup.js';

const registry: Record<string, () => Promise<ProtocolDefinition>> = { 'primary-backup': async () => primaryBackup };
const resolve = (spec: Partial<RunSpec>) => resolveRunSpec({ protocol: 'primary-backup', seed: 1, ...spec } as RunSpec, registry);

describe('run spec', () => {
  it('fills defaults', async () => {
    const { spec } = await resolve({});
    expect(spec).toMatchObject({ nemesis: 'none', ops: 1_000, quietOps: 150, bug: null, nodes: null, clients: 5, concurrency: 1, timeoutMs: 1_000, blockedAfterMs: 3_000 });
  });

  it.each([
    [{ protocol: 'raft' }, 'VRD_ERR_RUN_PROTOCOL', /unknown protocol: "raft" \(known: primary-backup\)/],
    [{ nemesis: 'meteor' }, 'VRD_ERR_RUN_NEMESIS', /unknown nemesis: "meteor" \(known: none, partition-halves,/],
    [{ bug: 'nope' }, 'VRD_ERR_RUN_BUG', /"nope" for primary-backup \(known: stale-backup-reads\)/],
    [{ seed: -1 }, 'VRD_ERR_RUN_SPEC', /seed must be a non-negative integer/],
    [{ seed: 1.5 }, 'VRD_ERR_RUN_SPEC', /seed must be/],
    [{ ops: 0 }, 'VRD_ERR_RUN_SPEC', /ops must be between 1 and 1000000, got 0/],
    [{ ops: 10.5 }, 'VRD_ERR_RUN_SPEC', /ops must be an integer/],
    [{ nodes: 99 }, 'VRD_ERR_RUN_SPEC', /nodes must be between 1 and 15/],
    [{ timeoutMs: Number.NaN }, 'VRD_ERR_RUN_SPEC', /timeoutMs must be a number/],
    [{ ops: 10, quietOps: 20 }, 'VRD_ERR_RUN_SPEC', /quietOps must be at most ops \(10\)/],
  ] as const)('rejects %j with %s', async (spec, code, message) => {
    const attempt = resolve(spec as Partial<RunSpec>);
    await expect(attempt).rejects.toMatchObject({ code, name: 'VerdictError' });
    await expect(attempt).rejects.toThrow(message);
  });

  it('writes the command that replays the run, and names spec fields the CLI cannot express', async () => {
    expect(reproduceCommand((await resolve({ seed: 7, ops: 2_000, nemesis: 'partition-halves' })).spec))
      .toBe('verdict run --protocol primary-backup --nemesis partition-halves --seed 7 --ops 2000');
    expect(reproduceCommand((await resolve({ bug: 'stale-backup-reads', nodes: 5, clients: 3, timeoutMs: 500 })).spec))
      .toBe('verdict run --protocol primary-backup --nemesis none --seed 1 --ops 1000 --bug stale-backup-reads --nodes 5 --clients 3 --timeout-ms 500');
    expect(reproduceCommand((await resolve({ network: { lossProbability: 0.1, duplicateProbability: 0.02 }, clockDriftPpmMax: 250_000 })).spec))
      .toBe('verdict run --protocol primary-backup --nemesis none --seed 1 --ops 1000 --loss 0.1 --duplicate 0.02 --clock-drift-ppm 250000');
    expect(reproduceCommand((await resolve({ network: { lossProbability: 0.1, reorderProbability: 0.2 } })).spec)).toMatch(/--loss 0\.1 {2}\(with spec network \{"reorderProbability":0.2\}\)$/);
  });
});

describe('run spec params', () => {
  const resolveReal = (spec: Partial<RunSpec>) => resolveRunSpec({ seed: 1, ...spec } as RunSpec, PROTOCOLS);

  it.each([
    [{ protocol: 'paxos', params: { leaseMS: 0 } }, /params paxos: unknown param "leaseMS" \(known: heartbeatMs,/],
    [{ protocol: 'paxos', params: { heartbeatMs: 0 } }, /params paxos: param heartbeatMs must be ≥ 1, got 0/],
    [{ protocol: '2pc', params: { voteTimoutMs: 50 } }, /params 2pc: unknown param "voteTimoutMs" \(known: voteTimeoutMs,/],
    [{ protocol: '3pc', params: { retryMs: -1 } }, /params 3pc: param retryMs must be a finite number ≥ 0, got -1/],
    [{ protocol: 'primary-backup', params: { anything: 1 } }, /params primary-backup takes no params, got anything/],
  ] as const)('refuses %j before anything runs', async (spec, message) => {
    const attempt = spec.protocol === 'primary-backup' ? resolve(spec) : resolveReal(spec);
    await expect(attempt).rejects.toMatchObject({ code: 'VRD_ERR_RUN_SPEC', status: 400 });
    await expect(attempt).rejects.toThrow(message);
  });

  it('keeps params every protocol knows', async () => {
    expect((await resolveReal({ protocol: '3pc', params: { retryMs: 10 } })).spec.params).toEqual({ retryMs: 10 });
    expect((await resolveReal({ protocol: 'paxos', params: { leaseMs: 0 } })).spec.params).toEqual({ leaseMs: 0 });
    expect((await resolve({ params: {} })).spec.params).toEqual({});
  });
});

describe('run spec scenarios', () => {
  const withScenario: ProtocolDefinition = {
    ...primaryBackup,
    marks: { 'primary-wrote': 'the primary has just applied a write' },
    scenarios: [{ name: 'fast', description: 'short timeouts', nemeses: ['crash-leader'], spec: { timeoutMs: 200, thinkMsMean: 5, nemesisTrigger: 'primary-wrote', nemesisTiming: { gapMsMin: 10, gapMsMax: 20 } } }],
  };
  const scenarios = { 'primary-backup': async () => withScenario };
  const resolveWith = (spec: Partial<RunSpec>) => resolveRunSpec({ protocol: 'primary-backup', seed: 1, ...spec } as RunSpec, scenarios);

  it('takes a scenario\'s fields as defaults under the explicit ones, and judges availability by the default timeout', async () => {
    const { spec } = await resolveWith({ scenario: 'fast', nemesisTiming: { gapMsMax: 30 } });
    expect(spec).toMatchObject({ scenario: 'fast', timeoutMs: 200, thinkMsMean: 5, nemesisTrigger: 'primary-wrote', nemesisTiming: { gapMsMin: 10, gapMsMax: 30 }, faultGraceMs: 1_000, blockedAfterMs: 3_000 });
    expect((await resolveWith({ scenario: 'fast', timeoutMs: 500 })).spec).toMatchObject({ timeoutMs: 500, faultGraceMs: 500, blockedAfterMs: 1_500 });
    expect((await resolveWith({})).spec).toMatchObject({ scenario: null, nemesisTrigger: null, timeoutMs: 1_000, scenarioSpec: {} });
  });

  it.each([
    [{ scenario: 'nope' }, /scenario "nope" for primary-backup \(known: fast\)/],
    [{ nemesisTrigger: 'primary-wrote>nope' }, /nemesisTrigger "nope" is not an event primary-backup marks \(known: primary-wrote\)/],
  ] as const)('rejects %j', async (spec, message) => {
    await expect(resolveWith(spec)).rejects.toMatchObject({ code: 'VRD_ERR_RUN_SPEC' });
    await expect(resolveWith(spec)).rejects.toThrow(message);
  });

  it('replays with --scenario, naming only what differs from it', async () => {
    expect(reproduceCommand((await resolveWith({ scenario: 'fast', nemesis: 'crash-leader' })).spec))
      .toBe('verdict run --protocol primary-backup --nemesis crash-leader --seed 1 --ops 1000 --scenario fast');
    expect(reproduceCommand((await resolveWith({ scenario: 'fast', timeoutMs: 300, thinkMsMean: 7 })).spec))
      .toBe('verdict run --protocol primary-backup --nemesis none --seed 1 --ops 1000 --scenario fast --timeout-ms 300  (with spec thinkMsMean 7)');
    expect(reproduceCommand((await resolveWith({ nemesisTrigger: 'primary-wrote', clockDriftPpmMax: 300_000 })).spec))
      .toBe('verdict run --protocol primary-backup --nemesis none --seed 1 --ops 1000 --clock-drift-ppm 300000  (with spec nemesisTrigger "primary-wrote")');
  });
});

describe('requirements', () => {
  it('knows every level and rejects the rest', () => {
    for (const level of ['strong', 'linearizable', 'sequential', 'session', 'user', 'eventual', 'strict-serializable', 'serializable', 'snapshot-isolation', 'repeatable-read', 'read-committed', 'read-uncommitted', 'atomic']) {
      expect(parseRequiredLevel(level)).toBe(level);
    }
    expect(() => parseRequiredLevel('acid')).toThrow(/unknown required level: "acid"/);
    expect(() => evaluateRequirement({ report: { version: 1, kind: 'single-object', history: { events: 0, operations: 0, processes: 0, faults: 0 }, verdict: { outcome: 'unknown', summary: '' }, elapsedMs: 0 } }, 'strong'))
      .not.toThrow();
  });
});
