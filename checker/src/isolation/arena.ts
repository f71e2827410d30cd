/**
 * One up-front allocation for the big typed arrays of an analysis. Every typed array's memory is
 * "external" to V8's heap, and each time external memory grows by some tens of megabytes V8
 * starts a full mark-compact of the whole heap; next to a history of a million transactions
 * (gigabytes of small objects) each takes seconds. Carving the arrays out of one buffer, sized
 * from the history's counts, costs one such collection instead of dozens. Requests that do not
 * fit get their own allocation, so a low estimate is only slower, never wrong.
 */
export class Arena {
  private readonly buffer: ArrayBuffer | undefined;
  private offset = 0;

  constructor(bytes: number) {
    this.buffer = bytes > 0 ? new ArrayBuffer(bytes) : undefined;
  }

  int32(length: number, fill = 0): Int32Array {
    const start = this.take(length * 4);
    const array = start < 0 ? new Int32Array(length) : new Int32Array(this.buffer!, start, length);
    if (fill !== 0) array.fill(fill);
    return array;
  }

  uint8(length: number): Uint8Array {
    const start = this.take(length);
    return start < 0 ? new Uint8Array(length) : new Uint8Array(this.buffer!, start, length);
  }

  /** Bytes handed out so far, for the stats. */
  get used(): number {
    return this.offset;
  }

  private take(bytes: number): number {
    if (this.buffer === undefined) return -1;
    const start = (this.offset + 7) & ~7;
    if (start + bytes > this.buffer.byteLength) return -1;
    this.offset = start + bytes;
    return start;
  }
}
