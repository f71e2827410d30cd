/**
 * Linear probing from a scrambled hash, shared by the search memos: WGL's visited cache probes
 * from `firstSlot` (its slots also hold each entry's key), the sequential search's frontier memo
 * keeps its slots with `slotsFor`.
 */

/** The first slot to probe for `hash` in a table of `mask + 1` slots. */
export function firstSlot(hash: number, mask: number): number {
  return (hash ^ (hash >>> 15)) & mask;
}

/** A table of `size` slots (a power of two) holding entries 0..count-1 by their hashes. */
export function slotsFor(hashes: Int32Array, count: number, size: number): Int32Array<ArrayBuffer> {
  const slots = new Int32Array(size).fill(-1);
  const mask = size - 1;
  for (let e = 0; e < count; e++) {
    let slot = firstSlot(hashes[e]!, mask);
    while (slots[slot] !== -1) slot = (slot + 1) & mask;
    slots[slot] = e;
  }
  return slots;
}
