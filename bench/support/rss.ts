import { readFileSync, writeFileSync } from 'node:fs';

/** Peak resident set size of this process in MiB, from /proc (Linux), else the current RSS. */
export function peakRssMiB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m !== null) return Math.round(Number(m[1]) / 1024);
  } catch {
    // not Linux
  }
  return Math.round(process.memoryUsage().rss / 1024 / 1024);
}

/** Resets the peak so the next reading covers only what follows (Linux 4.0+). */
export function resetPeakRss(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // not permitted or not Linux: the peak then covers the whole process
  }
}
