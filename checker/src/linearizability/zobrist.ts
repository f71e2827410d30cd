/**
 * Per-operation random words for the incremental hash of the linearized set: the hash of a set is
 * the XOR of its members' words, so adding or removing one op is one XOR. The words come from a
 * non-linear mix of a counter (a linear generator such as xorshift would make structured subsets
 * XOR to the same value and collide), with a fixed seed so a search is reproducible.
 */
export function zobristKeys(count: number, seed = 0x9e3779b9): { k1: Int32Array; k2: Int32Array } {
  // Op i's words depend on i alone: the default seed's longest table serves every shorter one
  // (read-only views), so the many small searches of a partitioned or shrunk history share it.
  if (seed === DEFAULT_SEED) {
    if (shared === undefined || shared.k1.length < count) shared = computeKeys(Math.max(count, 1024), seed);
    return { k1: shared.k1.subarray(0, count), k2: shared.k2.subarray(0, count) };
  }
  return computeKeys(count, seed);
}

const DEFAULT_SEED = 0x9e3779b9;
let shared: { k1: Int32Array; k2: Int32Array } | undefined;

function computeKeys(count: number, seed: number): { k1: Int32Array; k2: Int32Array } {
  const k1 = new Int32Array(count);
  const k2 = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    k1[i] = mix32(seed + Math.imul(2 * i + 1, 0x9e3779b9));
    k2[i] = mix32((seed ^ 0x7f4a7c15) + Math.imul(2 * i + 2, 0x85ebca6b));
  }
  return { k1, k2 };
}

/** murmur3's 32-bit finalizer. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x | 0;
}
