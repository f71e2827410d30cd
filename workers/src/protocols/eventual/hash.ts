/**
 * Deterministic 32-bit hashing for placement, Merkle trees and digests: FNV-1a over the text,
 * then a murmur3 finaliser so that short, similar strings (`n1#0`, `n1#1`) spread over the ring.
 */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 64-bit digest as 16 hex digits (two independent 32-bit hashes): collisions are negligible here. */
export function digest64(text: string): string {
  return hash32(text).toString(16).padStart(8, '0') + hash32(`\u0001${text}`).toString(16).padStart(8, '0');
}

/** A key as the store files it: strings as they are, anything else by its JSON (as the kv model groups keys). */
export function keyName(key: unknown): string {
  return typeof key === 'string' ? key : JSON.stringify(key);
}
