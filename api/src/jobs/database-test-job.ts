/**
 * Database tests as service jobs: a workload run against a real database, then checked. A job
 * names a target from the service's allow-list (`VERDICT_TARGETS`); the connection string stays
 * in the service's configuration, so a client can never make the service dial an address of its
 * choosing, and the stored spec holds only the name.
 */
import type { History, Report } from '@verdict/checker';
import { resolveDbTestSpec, testDatabase, WorkersError, type ClaimedJob, type Execution, type ExecutionContext } from '@verdict/workers';
import type { WorkContext } from './job-work.js';

/** A database test as submitted and stored: the target by name, the rest as `verdict test` takes it. */
export type DatabaseTestSpec = Record<string, unknown> & { target: string; workload: string; isolation: string };

/**
 * Checks a database test at submission: the target must be a name the service allows (never an
 * address), and every other field must be one `verdict test` accepts. Nothing is dialled yet.
 */
export function validateDatabaseTest(body: Record<string, unknown>, targets: Readonly<Record<string, string>>): DatabaseTestSpec {
  // The body reader has already dropped nulls (null means absent) and unknown fields.
  const url = targetUrl(body.target, targets);
  resolveDbTestSpec({ ...body, target: url });
  return body as DatabaseTestSpec;
}

/** Runs a stored database test on this runner's allow-list: the worker's own configuration decides where it connects. */
export async function executeDatabaseTest(job: ClaimedJob, context: ExecutionContext, targets: Readonly<Record<string, string>>): Promise<Execution> {
  const { report, history } = await runDatabaseTest(job.spec as DatabaseTestSpec, context, targets);
  return { type: 'report', report, history };
}

/** The work itself (on a job thread in embedded mode): record, check, and label the facts with the target's name. */
export async function runDatabaseTest(spec: DatabaseTestSpec, context: WorkContext, targets: Readonly<Record<string, string>>): Promise<{ report: Report; history: History }> {
  const url = targetUrl(spec.target, targets);
  const result = await testDatabase({ ...resolveDbTestSpec({ ...spec, target: url }) }, {
    signal: context.signal,
    onProgress: (p) => context.progress({ phase: p.stage === 'record' ? 'recording' : 'checking', done: p.done, total: p.total }),
  });
  // The facts travel with the report as a run's do; the target is shown by its name.
  const facts = { ...result.facts, target: spec.target, command: result.facts.command.replace(result.spec.target.display, spec.target) };
  const report = { ...result.report, database: facts } as Report;
  return { report, history: result.history };
}

function targetUrl(name: unknown, targets: Readonly<Record<string, string>>): string {
  const allowed = Object.keys(targets);
  const known = allowed.length === 0 ? 'this service allows none (set VERDICT_TARGETS)' : `known: ${allowed.join(', ')}`;
  if (typeof name !== 'string' || name === '') throw new WorkersError('VRD_ERR_TARGET_NOT_ALLOWED', `target must be the name of a database this service may reach (${known})`);
  if (!Object.hasOwn(targets, name)) {
    const what = /[:/@]/.test(name) ? 'an address' : JSON.stringify(name);
    throw new WorkersError('VRD_ERR_TARGET_NOT_ALLOWED', `${what} is not a target of this service; name one of its allow-list (${known})`);
  }
  return targets[name]!;
}
