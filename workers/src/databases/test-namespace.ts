import { randomBytes } from 'node:crypto';
import type { SqlSession } from './sql-session.js';

/** Every namespace a test makes starts so: `verdict_t_` and 12 hex digits. */
export const NAMESPACE_PREFIX = 'verdict_t_';

/**
 * A schema (Postgres) or database (MySQL) of the test's own, so a run never reads or writes anyone
 * else's tables, and concurrent runs never meet. The name is random, never taken from input.
 */
export function newNamespace(): string {
  return `${NAMESPACE_PREFIX}${randomBytes(6).toString('hex')}`;
}

export async function createNamespace(admin: SqlSession, name: string): Promise<void> {
  assertOwnName(name);
  await admin.query(admin.dialect === 'postgres' ? `CREATE SCHEMA "${name}"` : `CREATE DATABASE \`${name}\``);
}

/** Drops the namespace and everything in it; safe to call twice. */
export async function dropNamespace(admin: SqlSession, name: string): Promise<void> {
  assertOwnName(name);
  await admin.query(admin.dialect === 'postgres' ? `DROP SCHEMA IF EXISTS "${name}" CASCADE` : `DROP DATABASE IF EXISTS \`${name}\``);
}

/** Only names this module made reach SQL text: a guard against ever dropping someone else's schema. */
function assertOwnName(name: string): void {
  if (!/^verdict_t_[0-9a-f]{12}$/.test(name)) throw new Error(`refusing to touch namespace ${JSON.stringify(name)}: not one a test made`);
}
