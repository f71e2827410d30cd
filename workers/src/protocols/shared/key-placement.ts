import type { NodeId } from '../../sim/node-context.js';
import { keyId, type TxnKey } from './list-append.js';

/**
 * Which participant owns a key. The rule is deliberately simple so a person reading a history can
 * tell where each key lives: a non-negative integer key k lives on participant k mod N (with
 * participants p1..pN in layout order, key 0 on p1, key 1 on p2...); any other key goes by a
 * 32-bit FNV-1a hash of its JSON text, mod N. The same key always maps to the same participant
 * for the same participant list, in every run and on every node.
 */
export function ownerOf(key: TxnKey, participants: readonly NodeId[]): NodeId {
  if (participants.length === 0) throw new Error('ownerOf: no participants');
  const n = participants.length;
  const index = typeof key === 'number' && Number.isSafeInteger(key) && key >= 0 ? key % n : fnv1a(keyId(key)) % n;
  return participants[index]!;
}

/** The placement of the given keys, per participant, in the order the keys were given. */
export function keyPlacement(keys: readonly TxnKey[], participants: readonly NodeId[]): Map<NodeId, TxnKey[]> {
  const placement = new Map<NodeId, TxnKey[]>(participants.map((p) => [p, []]));
  for (const key of keys) placement.get(ownerOf(key, participants))!.push(key);
  return placement;
}

/** A one-line description of the rule, logged by coordinators and shown in protocol descriptions. */
export const PLACEMENT_RULE = 'key k (integer >= 0) lives on participant number (k mod N) + 1; other keys by FNV-1a of their JSON, mod N';

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
