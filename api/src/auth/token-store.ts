import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient, TokenScope } from '../generated/prisma/client.js';

export type Scope = TokenScope;
export const SCOPES: readonly Scope[] = ['submit', 'read', 'admin'];

/** Who is calling: the token's identity, its team and its scopes. */
export interface Principal {
  tokenId: string;
  name: string;
  /** Jobs are visible to tokens of the same team only (admin tokens see every team's). */
  team: string | null;
  scopes: Scope[];
}

export interface CreatedToken {
  /** The secret, shown once: only its SHA-256 is stored. */
  secret: string;
  id: string;
  name: string;
  team: string | null;
  scopes: Scope[];
}

const SECRET_PREFIX = 'vrd_';
const CACHE_MS = 30_000;
const CACHE_ENTRIES_MAX = 10_000;
const LAST_USED_EVERY_MS = 60_000;

/** `admin` grants everything; `submit` includes `read` (a CI job reads the report it submitted). */
export function hasScope(principal: Principal, needed: Scope): boolean {
  if (principal.scopes.includes('admin')) return true;
  if (needed === 'read') return principal.scopes.includes('read') || principal.scopes.includes('submit');
  return principal.scopes.includes(needed);
}

/** May this caller see a job of `team`? */
export function canSeeTeam(principal: Principal, team: string | null): boolean {
  return principal.scopes.includes('admin') || principal.team === team;
}

/** SHA-256 is enough: secrets are 256 random bits, so there is nothing to brute-force. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * API tokens, hashed at rest. Verification is cached briefly by hash, so an authenticated
 * request costs no database round trip on the hot path; a revoked token stops working within
 * the cache's lifetime (30 s) on every API process.
 */
export class TokenStore {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(private readonly prisma: PrismaClient) {}

  async create(input: { name: string; scopes: readonly Scope[]; team?: string | null }): Promise<CreatedToken> {
    const secret = SECRET_PREFIX + randomBytes(32).toString('base64url');
    const row = await this.prisma.apiToken.create({
      data: { name: input.name, team: input.team ?? null, scopes: [...new Set(input.scopes)], hash: hashSecret(secret), prefix: secret.slice(0, 12) },
    });
    return { secret, id: row.id, name: row.name, team: row.team, scopes: row.scopes };
  }

  async verify(secret: string): Promise<Principal | null> {
    const hash = hashSecret(secret);
    const now = Date.now();
    const cached = this.cache.get(hash);
    if (cached !== undefined && cached.until > now) return cached.principal;
    const row = await this.prisma.apiToken.findUnique({ where: { hash } });
    const principal = row === null || row.revokedAt !== null ? null : { tokenId: row.id, name: row.name, team: row.team, scopes: row.scopes };
    if (this.cache.size >= CACHE_ENTRIES_MAX) this.cache.clear();
    this.cache.set(hash, { principal, until: now + CACHE_MS });
    if (principal !== null && now - (this.lastUsedWritten.get(principal.tokenId) ?? 0) > LAST_USED_EVERY_MS) {
      this.lastUsedWritten.set(principal.tokenId, now);
      await this.prisma.apiToken.update({ where: { id: principal.tokenId }, data: { lastUsedAt: new Date(now) } });
    }
    return principal;
  }

  async list(): Promise<{ id: string; name: string; team: string | null; scopes: Scope[]; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }[]> {
    return this.prisma.apiToken.findMany({
      orderBy: { createdAt: 'asc' },
      select: { id: true, name: true, team: true, scopes: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
    });
  }

  /** Revokes by id or by the printed prefix; returns how many tokens it revoked. */
  async revoke(idOrPrefix: string): Promise<number> {
    const isUuid = /^[0-9a-f-]{36}$/i.test(idOrPrefix);
    const result = await this.prisma.apiToken.updateMany({
      where: { revokedAt: null, ...(isUuid ? { id: idOrPrefix } : { prefix: idOrPrefix }) },
      data: { revokedAt: new Date() },
    });
    this.cache.clear();
    return result.count;
  }

  async countAdmins(): Promise<number> {
    return this.prisma.apiToken.count({ where: { revokedAt: null, scopes: { has: 'admin' } } });
  }
}
