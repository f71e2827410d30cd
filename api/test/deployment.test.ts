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
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(3);
    expect(dockerfile).toMatch(/^FROM node:20\S* AS build$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    // Everything the runtime stage copies is produced by the build stage.
    const copied = [...dockerfile.matchAll(/^COPY --from=build \/app\/(\S+)/gm)].map((m) => m[1]);
    expect(copied).toEqual(expect.arrayContaining(['prisma', 'checker/dist', 'workers/dist', 'api/dist']));
    // Production dependencies only, installed afresh (a pruned build tree kept typescript and the prisma CLI).
    expect(copied).not.toContain('node_modules');
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev --omit=peer /m);
    const fromDeps = [...dockerfile.matchAll(/^COPY --from=deps \/app\/(\S+)/gm)].map((m) => m[1]);
    expect(fromDeps).toEqual(expect.arrayContaining(['node_modules', 'api/node_modules', 'workers/node_modules', 'checker/node_modules']));
  });

  it('names one Node version everywhere, and no dependency wants another', async () => {
    const text = (path: string) => readFile(new URL(path, `file://${REPO}`), 'utf8');
    const pkg = JSON.parse(await text('package.json')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe('^20.19.0');
    const dockerfile = await text('Dockerfile');
    expect(dockerfile.match(/^FROM node:(\d+)/gm)!.every((line) => line === 'FROM node:20')).toBe(true);
    expect(await text('.ci/run')).toMatch(/node_major.*20/s);
    expect(await text('README.md')).toMatch(/Node\.js 20 \(20\.19 or later\)/);
    // Every engines range in the lock file admits Node 20.19 (npm ci warned of cookie, content-disposition, @prisma/streams-local).
    const lock = JSON.parse(await text('package-lock.json')) as { packages: Record<string, { engines?: { node?: string } | string[] }> };
    const refusing = Object.entries(lock.packages)
      .filter(([, p]) => typeof p.engines === 'object' && !Array.isArray(p.engines) && typeof p.engines.node === 'string' && !admits20(p.engines.node))
      .map(([name, p]) => `${name} ${(p.engines as { node: string }).node}`);
    expect(refusing).toEqual([]);
    const ignore = await readFile(new URL('.dockerignore', `file://${REPO}`), 'utf8');
    expect(ignore).toMatch(/node_modules/);
    expect(ignore).toMatch(/api\/src\/generated/);
  });
});

/** Does an engines range (`>=18`, `^20.19 || >=22`, `18 || 20 || >=22`) admit Node 20.19? */
function admits20(range: string): boolean {
  return range.split('||').some((part) => {
    const m = /^\s*(>=|\^|~)?\s*v?(\d+)(?:\.(\d+))?/.exec(part);
    if (m === null) return true;
    const [, op, majorText, minorText] = m;
    const major = Number(majorText);
    const minor = Number(minorText ?? 0);
    if (op === '>=') return major < 20 || (major === 20 && minor <= 19);
    return major === 20 && (op === '~' ? minor === 19 : minor <= 19);
  });
}
