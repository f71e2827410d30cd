/** One line a node logged, stamped with virtual time and the incarnation that logged it. */
export interface SimLogEntry {
  timeMs: number;
  node: string;
  incarnation: number;
  message: string;
  fields?: Record<string, unknown>;
}

/**
 * The last `linesMax` node log lines, kept for failure reports. Entries are stored raw and only
 * formatted when asked for, so logging costs a protocol little when nobody reads it.
 */
export class SimLog {
  private readonly entries: SimLogEntry[] = [];
  private next = 0;

  constructor(private readonly linesMax: number) {}

  add(entry: SimLogEntry): void {
    if (this.linesMax <= 0) return;
    if (this.entries.length < this.linesMax) {
      this.entries.push(entry);
      return;
    }
    this.entries[this.next] = entry;
    this.next = (this.next + 1) % this.linesMax;
  }

  /** The kept entries, oldest first. */
  tail(): SimLogEntry[] {
    return [...this.entries.slice(this.next), ...this.entries.slice(0, this.next)];
  }
}

export function formatEntry(e: SimLogEntry): string {
  const fields = e.fields === undefined ? '' : ` ${safeJson(e.fields)}`;
  return `${e.timeMs.toFixed(3).padStart(12)} ms  ${e.node}#${e.incarnation}  ${e.message}${fields}`;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '[unserializable]';
  }
}
