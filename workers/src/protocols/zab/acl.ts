import { createHash } from 'node:crypto';

/** ZooKeeper's permission bits. */
export const PERM = { READ: 1, WRITE: 2, CREATE: 4, DELETE: 8, ADMIN: 16, ALL: 31 } as const;

/** One ACL entry: a scheme (`world`, `digest`, `ip`), the id it matches, the permissions it grants. */
export interface AclEntry {
  scheme: 'world' | 'digest' | 'ip';
  /** `anyone` for world; `user:hash` for digest (never the password); an address or `a.b.c.d/bits` for ip. */
  id: string;
  perms: number;
}

/** Who a request comes from: the identities its session has proven (addAuth digest) and its address. */
export interface Identity {
  /** Digest ids `user:hash` the session authenticated as. */
  digests: readonly string[];
  ip: string;
}

export const OPEN_ACL: readonly AclEntry[] = [{ scheme: 'world', id: 'anyone', perms: PERM.ALL }];

/**
 * The stored form of a digest credential: `user:` then base64 of SHA-1 over `user:password`, as
 * ZooKeeper's DigestAuthenticationProvider stores it, so an ACL never holds a password.
 */
export function digestId(userPassword: string): string {
  const user = userPassword.slice(0, Math.max(0, userPassword.indexOf(':')));
  return `${user}:${createHash('sha1').update(userPassword).digest('base64')}`;
}

/** True when `acl` grants `perm` to `who`. */
export function allowed(acl: readonly AclEntry[], perm: number, who: Identity): boolean {
  for (const entry of acl) {
    if ((entry.perms & perm) === 0) continue;
    if (entry.scheme === 'world' && entry.id === 'anyone') return true;
    if (entry.scheme === 'digest' && who.digests.includes(entry.id)) return true;
    if (entry.scheme === 'ip' && ipMatches(entry.id, who.ip)) return true;
  }
  return false;
}

function ipMatches(pattern: string, ip: string): boolean {
  const [base, bitsText] = pattern.split('/');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const a = ipv4(base ?? '');
  const b = ipv4(ip);
  if (a === undefined || b === undefined || !(bits >= 0 && bits <= 32)) return false;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

function ipv4(text: string): number | undefined {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}
