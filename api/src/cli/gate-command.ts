import { writeFile } from 'node:fs/promises';
import { escapeXml, meetsRequirement, renderJunit, renderText } from '@verdict/checker';
import { GATE_USAGE, GateInputError, parseGateArgs, type GateOptions } from '../gate/gate-args.js';
import { GateClient, GateHttpError, type GateJob } from '../gate/gate-client.js';
import { EXIT, terminalText, type CliCommand, type CliIo } from './command.js';

const POLL_MS = 1_000;
const PROGRESS_LINE_MS = 1_000;

/** `verdict gate`: CI's question to a running service, answered with an exit code. */
export const gateCommand: CliCommand = {
  name: 'gate',
  summary: 'submit a job to a running service, wait, write JUnit XML; exit 0/1/2 on the verdict',
  usage: GATE_USAGE,
  async run(argv, io) {
    let options: GateOptions;
    try {
      const parsed = parseGateArgs(argv);
      if (parsed === 'help') {
        io.out(GATE_USAGE);
        return EXIT.ok;
      }
      options = parsed;
    } catch (e) {
      io.err(e instanceof GateInputError ? `verdict gate: ${terminalText((e as Error).message)}\n` : `verdict gate: ${(e as Error).message}\n\n${GATE_USAGE}`);
      return EXIT.usage;
    }
    return gate(options, io);
  },
};

async function gate(options: GateOptions, io: CliIo): Promise<number> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const client = new GateClient(options.server, options.token, deadline);
  let jobId: string | undefined;
  try {
    const job = options.job.kind !== 'history'
      ? await client.submitRun(options.job.spec)
      : await client.submitHistory(options.job.file, { ...options.job, levels: needsLevels(options.require) });
    jobId = job.id;
    io.err(`verdict gate: job ${job.id} submitted to ${options.server}\n`);
    const final = await followToEnd(client, job.id, io);
    if (final.status !== 'done') {
      const why = `job ${final.status}${final.error !== null ? `: ${final.error.code}: ${final.error.message}` : ''}`;
      io.err(`verdict gate: ${terminalText(why)}\n`);
      await writeErrorJunit(options, why);
      return EXIT.unknown;
    }
    const report = await client.report(job.id);
    io.out(renderText(report));
    const met = meetsRequirement(report, options.require);
    if (options.junit !== undefined) await writeFile(options.junit, renderJunit(report, { suite: `verdict gate (job ${job.id})`, require: options.require }));
    io.out(`\nrequire ${options.require}: ${met.result === 'yes' ? 'met' : met.result === 'no' ? 'NOT met' : 'unknown'} (${met.reason})\n`);
    return met.result === 'yes' ? EXIT.ok : met.result === 'no' ? EXIT.violated : EXIT.unknown;
  } catch (e) {
    if (deadline.aborted) {
      const why = `timed out after ${options.timeoutMs / 1000} s${jobId !== undefined ? ` waiting for job ${jobId} (cancelled)` : ''}`;
      if (jobId !== undefined) await client.cancel(jobId);
      io.err(`verdict gate: ${why}\n`);
      await writeErrorJunit(options, why);
      return EXIT.unknown;
    }
    if (e instanceof GateHttpError) {
      io.err(`verdict gate: the service refused: ${terminalText(`${e.code}: ${e.message}`)}\n`);
      const refusal = e.status >= 400 && e.status < 500 && e.status !== 408 && e.status !== 429;
      await writeErrorJunit(options, `${e.code}: ${e.message}`);
      return refusal ? EXIT.usage : EXIT.unknown;
    }
    const why = `cannot reach ${options.server}: ${(e as Error).message}${(e as { cause?: { message?: string } }).cause?.message !== undefined ? ` (${(e as { cause: { message: string } }).cause.message})` : ''}`;
    io.err(`verdict gate: ${why}\n`);
    await writeErrorJunit(options, why);
    return EXIT.unknown;
  }
}

/** Levels beyond linearizability are checked only when asked for (as `verdict check --levels`). */
function needsLevels(level: string): boolean {
  return ['sequential', 'session', 'user', 'eventual'].includes(level);
}

/** Follows the job's events (printing progress); polls when the stream is not available. */
async function followToEnd(client: GateClient, id: string, io: CliIo): Promise<GateJob> {
  let lastLine = 0;
  let lastStatus = '';
  try {
    await client.follow(id, (event, data) => {
      if (event === 'job') {
        const job = data as GateJob;
        if (job.status !== lastStatus) io.err(`verdict gate: job ${terminalText(job.status)}\n`);
        lastStatus = job.status;
      } else if (event === 'progress' && Date.now() - lastLine > PROGRESS_LINE_MS) {
        lastLine = Date.now();
        const p = data as { phase: string; done?: number; total?: number };
        io.err(`verdict gate:   ${terminalText(`${p.phase}${p.total !== undefined ? ` ${p.done ?? 0}/${p.total}` : ''}`)}\n`);
      }
    });
  } catch (e) {
    if ((e as Error).name === 'TimeoutError' || (e as Error).name === 'AbortError') throw e;
    // The event stream failed (a proxy, a restart): fall back to polling.
  }
  for (;;) {
    const job = await client.job(id);
    if (job.status === 'done' || job.status === 'failed' || job.status === 'cancelled') return job;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** JUnit XML when there is no report to render: one test case, in error (unknown is never a pass). */
async function writeErrorJunit(options: GateOptions, why: string): Promise<void> {
  if (options.junit === undefined) return;
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites name="verdict" tests="1" failures="0" errors="1">',
    '  <testsuite name="verdict gate" tests="1" failures="0" errors="1">',
    `    <testcase classname="verdict.requirement" name="require ${escapeXml(options.require)}" time="0">`,
    `      <error message="${escapeXml(why)}" type="unknown">${escapeXml(why)}</error>`,
    '    </testcase>',
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
  await writeFile(options.junit, xml);
}
