import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TokenStore } from './token-store.js';

/**
 * On first start (no admin token in the database) creates one and writes it to
 * `<data dir>/admin-token`, readable by its owner only. Later starts leave tokens alone.
 */
export async function ensureAdminToken(tokens: TokenStore, dataDir: string): Promise<{ file: string; secret?: string }> {
  const file = join(dataDir, 'admin-token');
  if (await tokens.countAdmins() > 0) return { file };
  const created = await tokens.create({ name: 'admin (first start)', scopes: ['admin'] });
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${created.secret}\n`, { mode: 0o600 });
  // The mode given to writeFile only applies when the file is created: tighten an existing one too.
  await chmod(file, 0o600);
  return { file, secret: created.secret };
}
