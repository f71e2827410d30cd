import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO } from './support/processes.js';

const run = promisify(execFile);

/** docker-compose validates the file without a Docker engine; CI installs Debian's package. */
async function composeInstalled(): Promise<boolean> {
  try {
    await run('docker-compose', ['version']);
    return true;
  } catch {
    if (process.env.VERDICT_CI === '1') throw new Error('docker-compose is not installed, and VERDICT_CI=1 (.ci/run installs it)');
    console.warn('\n*** SKIPPING the docker-compose validation: docker-compose is not installed ***\n');
    return false;
  }
}

const compose = await composeInstalled();

describe('deployment files', () => {
  it.runIf(compose)('docker-compose.yml passes `docker-compose config -q`', async () => {
    const { stdout, stderr } = await run('docker-compose', ['config', '-q'], { cwd: REPO });
    expect(stdout + stderr).toBe('');
    const { stdout: services } = await run('docker-compose', ['config', '--services'], { cwd: REPO });
    expect(services.trim().split('\n').sort()).toEqual(['api', 'postgres', 'redis', 'worker']);
  });

  it('has a health check on every service, and nothing that stops workers from scaling', async () => {
    const file = await readFile(new URL('docker-compose.yml', `file://${REPO}`), 'utf8');
    const services = file.slice(file.indexOf('\nservices:\n'), file.indexOf('\nvolumes:\n'));
    const blocks = new Map(services.split(/\n {2}(?=[\w-]+:\n)/).slice(1).map((b) => [b.slice(0, b.indexOf(':')), b]));
    expect([...blocks.keys()].sort()).toEqual(['api', 'postgres', 'redis', 'worker']);
    for (const [name, block] of blocks) expect(block, name).toContain('healthcheck:');
    expect(blocks.get('worker')).not.toMatch(/container_name|ports:/);
  });

  it('builds in stages and runs as an unprivileged user', async () => {
    const dockerfile = await readFile(new URL('Dockerfile', `file://${REPO}`), 'utf8');
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toMatch(/^FROM node:20\S* AS build$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    // Everything the runtime stage copies is produced by the build stage.
    const copied = [...dockerfile.matchAll(/^COPY --from=build \/app\/(\S+)/gm)].map((m) => m[1]);
    expect(copied).toEqual(expect.arrayContaining(['node_modules', 'prisma', 'checker/dist', 'workers/dist', 'api/dist']));
    const ignore = await readFile(new URL('.dockerignore', `file://${REPO}`), 'utf8');
    expect(ignore).toMatch(/node_modules/);
    expect(ignore).toMatch(/api\/src\/generated/);
  });
});
