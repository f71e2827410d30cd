import type { CliIo } from '../../src/cli/command.js';
import { gateCommand } from '../../src/cli/gate-command.js';
import type { TestApp } from './test-app.js';

export interface GateRun {
  code: number;
  out: string;
  err: string;
}

/**
 * `verdict gate` against a test app, as CI runs it: the app listens on a loopback port, and each
 * call passes that server and the token before its own arguments.
 */
export async function gateAgainst(t: TestApp, auth: string): Promise<(...args: string[]) => Promise<GateRun>> {
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  const server = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  const token = auth.replace('Bearer ', '');
  return async (...args) => {
    let out = '';
    let err = '';
    const io: CliIo = { out: (s) => { out += s; }, err: (s) => { err += s; }, interactive: false };
    return { code: await gateCommand.run(['--server', server, '--token', token, ...args], io), out, err };
  };
}
