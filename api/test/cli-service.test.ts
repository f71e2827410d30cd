import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/command.js';
import { serveCommand } from '../src/cli/serve-command.js';
import { tokenCommand } from '../src/cli/token-command.js';
import { workerCommand } from '../src/cli/worker-command.js';
import { requireService } from './support/services.js';
import { testApp, type TestApp } from './support/test-app.js';

const pgUp = await requireService('postgres');

async function run(command: { run(argv: readonly string[], io: CliIo): Promise<number> }, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await command.run(argv, { out: (s) => { out += s; }, err: (s) => { err += s; }, interactive: false });
  return { code, out, err };
}

describe('verdict serve, worker and token: usage', () => {
  it('exits 64 naming the problem, and 0 with the usage on --help', async () => {
    expect((await run(serveCommand, '--port', 'eighty')).err).toContain('--port must be an integer from 0 to 65535');
    expect((await run(serveCommand, '--port', 'eighty')).code).toBe(64);
    expect((await run(serveCommand, '--help')).out).toContain('Usage: verdict serve');
    const saved = { DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: process.env.REDIS_URL };
    delete process.env.DATABASE_URL;
    delete process.env.REDIS_URL;
    try {
      const worker = await run(workerCommand);
      expect(worker.code).toBe(64);
      expect(worker.err).toContain('set DATABASE_URL and REDIS_URL');
    } finally {
      Object.assign(process.env, saved);
    }
    expect((await run(workerCommand, '--concurrency', '0')).code).toBe(64);
    for (const argv of [[], ['mint'], ['create'], ['create', '--name', 'x', '--scopes', 'root'], ['revoke'], ['create', '--name', 'x', '--server', 'http://x']]) {
      expect((await run(tokenCommand, ...argv)).code, argv.join(' ')).toBe(64);
    }
  });
});

describe.runIf(pgUp)('verdict token', () => {
  let t: TestApp;
  let server: string;
  beforeAll(async () => {
    t = await testApp('cli_token');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    server = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('creates, lists and revokes tokens in the database, printing the secret once on stdout', async () => {
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = t.deps.config.databaseUrl;
    try {
      const created = await run(tokenCommand, 'create', '--name', 'ci', '--scopes', 'submit,read', '--team', 'payments');
      expect(created.code, created.err).toBe(0);
      const secret = created.out.trim();
      expect(secret).toMatch(/^vrd_/);
      expect(created.err).toContain('scopes submit,read, team payments');
      const principal = await t.deps.tokens.verify(secret);
      expect(principal).toMatchObject({ name: 'ci', team: 'payments', scopes: ['submit', 'read'] });
      const listed = await run(tokenCommand, 'list');
      expect(listed.out).toContain(`${secret.slice(0, 12)}…`);
      expect(listed.out).not.toContain(secret);
      expect((await run(tokenCommand, 'revoke', principal!.tokenId)).out).toBe('revoked 1 token(s)\n');
      expect((await run(tokenCommand, 'revoke', principal!.tokenId)).code).toBe(64);
    } finally {
      process.env.DATABASE_URL = saved;
    }
  });

  it('does the same through a running service with an admin token', async () => {
    const admin = (await t.token(['admin'])).replace('Bearer ', '');
    const created = await run(tokenCommand, 'create', '--name', 'gate', '--scopes', 'submit', '--server', server, '--token', admin);
    expect(created.code, created.err).toBe(0);
    const secret = created.out.trim();
    expect((await t.app.inject({ method: 'GET', url: '/jobs', headers: { authorization: `Bearer ${secret}` } })).statusCode).toBe(200);
    expect((await run(tokenCommand, 'list', '--server', server, '--token', admin)).out).toContain('gate');
    const revoked = await run(tokenCommand, 'revoke', secret.slice(0, 12), '--server', server, '--token', admin);
    expect(revoked.out, revoked.err).toBe('revoked 1 token(s)\n');
    const refused = await run(tokenCommand, 'list', '--server', server, '--token', secret);
    expect(refused.code).toBe(64);
    expect(refused.err).toContain('VRD_ERR_API_AUTH_INVALID');
  });
});
