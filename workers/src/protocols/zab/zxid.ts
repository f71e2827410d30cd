/**
 * A ZAB transaction id: (epoch, counter) packed in one number, epoch in the high bits, so zxids
 * compare as numbers in the order ZAB defines (epoch first, then counter). 2^21 epochs of 2^32
 * proposals each stay within a double's exact integers.
 */
export type Zxid = number;

const COUNTER_SPAN = 2 ** 32;

export const NO_ZXID: Zxid = 0;

export function makeZxid(epoch: number, counter: number): Zxid {
  return epoch * COUNTER_SPAN + counter;
}

export function epochOf(zxid: Zxid): number {
  return Math.floor(zxid / COUNTER_SPAN);
}

export function counterOf(zxid: Zxid): number {
  return zxid % COUNTER_SPAN;
}

/** `epoch:counter`, as logs and witnesses print it. */
export function showZxid(zxid: Zxid): string {
  return `${epochOf(zxid)}:${counterOf(zxid)}`;
}
