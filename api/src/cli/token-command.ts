import { parseArgs } from 'node:util';
import { SCOPES, TokenStore, type Scope } from '../auth/token-store.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { EXIT, UsageError, terminalText, type CliCommand, type CliIo } from './command.js';

const USAGE = `Usage: verdict token create --name NAME [--scopes submit,read] [--team TEAM]
       verdict token list
       verdict token revoke ID|PREFIX

API tokens: the secret is printed once; only its SHA-256 is stored. Scopes: submit (submit and
cancel jobs, read them), read, admin (everything, every team, tokens). A token with a team sees
only that team's jobs.

Where the tokens are:
  --server URL --token ADMIN   through a running service (needs an admin token)
  otherwise                    directly in the database: DATABASE_URL, or the embedded one in
                               --data-dir DIR / VERDICT_DATA_DIR (default ./.verdict) when the
                               service is not running on it
`;

interface TokenArgs {
  action: 'create' | 'list' | 'revoke';
  name?: string;
  scopes: Scope[];
  team?: string;
  target?: string;
  server?: string;
  token?: string;
  dataDir?: string;
}

/** `verdict token`: create, list and revoke API tokens. */
export const tokenCommand: CliCommand = {
  name: 'token',
  summary: 'create, list or revoke API tokens (scoped: submit, read, admin)',
  usage: USAGE,
  async run(argv, io) {
    let args: TokenArgs;
    try {
      const parsed = parseTokenArgs(argv);
      if (parsed === 'help') {
        io.out(USAGE);
        return EXIT.ok;
      }
      args = parsed;
    } catch (e) {
      io.err(`verdict token: ${(e as Error).message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    try {
      if (args.server !== undefined) return await viaServer(args, io);
      return await viaDatabase(args, io);
    } catch (e) {
      io.err(`verdict token: ${(e as Error).message}\n`);
      return EXIT.software;
    }
  },
};

function parseTokenArgs(argv: readonly string[]): TokenArgs | 'help' {
  const parsed = parseArgs({
    args: [...argv],
    options: {
      name: { type: 'string' }, scopes: { type: 'string' }, team: { type: 'string' },
      server: { type: 'string' }, token: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (parsed.values.help === true) return 'help';
  const [action, target, ...extra] = parsed.positionals;
  if (action !== 'create' && action !== 'list' && action !== 'revoke') throw new UsageError(`expected create, list or revoke, got ${JSON.stringify(action ?? '')}`);
  if (extra.length > 0 || (action !== 'revoke' && target !== undefined)) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0] ?? target)}`);
  if (action === 'revoke' && target === undefined) throw new UsageError('revoke needs the token id or prefix');
  if (action === 'create' && (parsed.values.name === undefined || parsed.values.name.trim() === '')) throw new UsageError('create needs --name');
  const scopes = (parsed.values.scopes ?? 'submit,read').split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0 || scopes.length === 0) throw new UsageError(`--scopes takes ${SCOPES.join(', ')} (comma-separated), got ${JSON.stringify(parsed.values.scopes)}`);
  if ((parsed.values.server === undefined) !== (parsed.values.token === undefined)) throw new UsageError('--server and --token go together');
  return {
    action,
    scopes: scopes as Scope[],
    ...(parsed.values.name !== undefined ? { name: parsed.values.name.trim() } : {}),
    ...(parsed.values.team !== undefined ? { team: parsed.values.team } : {}),
    ...(target !== undefined ? { target } : {}),
    ...(parsed.values.server !== undefined ? { server: parsed.values.server.replace(/\/+$/, '') } : {}),
    ...(parsed.values.token !== undefined ? { token: parsed.values.token } : {}),
    ...(parsed.values['data-dir'] !== undefined ? { dataDir: parsed.values['data-dir'] } : {}),
  };
}

async function viaDatabase(args: TokenArgs, io: CliIo): Promise<number> {
  const config = loadConfig(args.dataDir !== undefined ? { ...process.env, VERDICT_DATA_DIR: args.dataDir } : process.env, { logLevel: false });
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, migrate: true });
  try {
    const tokens = new TokenStore(db.prisma);
    if (args.action === 'create') {
      const created = await tokens.create({ name: args.name!, scopes: args.scopes, team: args.team ?? null });
      printCreated(io, created);
    } else if (args.action === 'list') {
      for (const t of await tokens.list()) io.out(tokenLine(t));
    } else {
      const n = await tokens.revoke(args.target!);
      if (n === 0) {
        io.err(`verdict token: no active token has id or prefix ${JSON.stringify(args.target)}\n`);
        return EXIT.usage;
      }
      io.out(`revoked ${n} token(s)\n`);
    }
    return EXIT.ok;
  } finally {
    await db.close();
  }
}

async function viaServer(args: TokenArgs, io: CliIo): Promise<number> {
  const headers = { authorization: `Bearer ${args.token!}` };
  const res = args.action === 'create'
    ? await fetch(`${args.server}/tokens`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ name: args.name, scopes: args.scopes, ...(args.team !== undefined ? { team: args.team } : {}) }) })
    : args.action === 'list'
      ? await fetch(`${args.server}/tokens`, { headers })
      : await fetch(`${args.server}/tokens/${encodeURIComponent(args.target!)}`, { method: 'DELETE', headers });
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) {
    io.err(`verdict token: ${terminalText(`${String(body.message ?? res.statusText)} (${String(body.code ?? res.status)})`)}\n`);
    return res.status === 401 || res.status === 403 || res.status === 404 || res.status === 400 ? EXIT.usage : EXIT.software;
  }
  if (args.action === 'create') printCreated(io, body as unknown as { secret: string; id: string; scopes: string[]; team: string | null });
  else if (args.action === 'list') {
    for (const t of body.tokens as ListedToken[]) io.out(tokenLine(t));
  } else io.out(`revoked ${String(body.revoked)} token(s)\n`);
  return EXIT.ok;
}

/** A token as `verdict token list` shows it, from the database or from the API. */
interface ListedToken {
  id: string;
  prefix: string;
  scopes: readonly string[];
  team: string | null;
  revokedAt: Date | string | null;
  name: string;
}

function tokenLine(t: ListedToken): string {
  return `${t.id}  ${t.prefix}…  ${t.scopes.join(',').padEnd(17)} team=${t.team ?? '-'}  ${t.revokedAt !== null ? 'REVOKED' : 'active'}  ${t.name}\n`;
}

function printCreated(io: CliIo, t: { secret: string; id: string; scopes: readonly string[]; team: string | null }): void {
  io.err(`token ${t.id} (scopes ${t.scopes.join(',')}, team ${t.team ?? '-'}); the secret below is shown once:\n`);
  io.out(`${t.secret}\n`);
}
