/**
 * The cycle searches' budget: a deadline and a step count, whichever runs out first. Checked
 * every few thousand steps, so the clock is read rarely. Once spent, it stays spent.
 */
export class Budget {
  private stepsLeft: number;
  private sinceCheck = 0;
  private spentCause: string | undefined;

  constructor(
    private readonly deadlineMs: number,
    stepsMax: number,
    private readonly now: () => number,
    private readonly describe: string,
  ) {
    this.stepsLeft = stepsMax;
  }

  /** Why it ran out, or undefined while it lasts. */
  get cause(): string | undefined {
    return this.spentCause;
  }

  /** Spends `steps`; false once the budget is gone. */
  spend(steps: number): boolean {
    if (this.spentCause !== undefined) return false;
    this.stepsLeft -= steps;
    if (this.stepsLeft < 0) {
      this.spentCause = `cycle search step limit reached (${this.describe})`;
      return false;
    }
    this.sinceCheck += steps;
    if (this.sinceCheck >= 4096) {
      this.sinceCheck = 0;
      if (this.now() > this.deadlineMs) {
        this.spentCause = `cycle search time limit reached (${this.describe})`;
        return false;
      }
    }
    return true;
  }
}
