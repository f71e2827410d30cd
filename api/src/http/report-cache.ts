/** A finished job's report never changes, so its JSON text can be kept and served as is. */
export class ReportCache {
  private readonly entries = new Map<string, { json: string; team: string | null }>();

  constructor(private readonly entriesMax = 2_000) {}

  get(jobId: string): { json: string; team: string | null } | undefined {
    const hit = this.entries.get(jobId);
    if (hit !== undefined) {
      // Least recently used goes first: re-insert to move the entry to the end.
      this.entries.delete(jobId);
      this.entries.set(jobId, hit);
    }
    return hit;
  }

  set(jobId: string, entry: { json: string; team: string | null }): void {
    if (this.entries.size >= this.entriesMax) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(jobId, entry);
  }
}
