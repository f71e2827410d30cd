/**
 * The cycle searches' budget: a deadline and a step count, whichever runs out first. Checked
 * every few thousand steps, so the clock is read rarely. Once spent, it stays spent.
 */
export class Budget {
  private stepsLeft: number;
  private sinceCheck = 0;
  private spentCause: string | undefined;

  constructor(
    private readonly timeLimitMs: number,
    private readonly stepsMax: number,
    private readonly now: () => number,
  ) {
    this.deadlineMs = now() + timeLimitMs;
    this.stepsLeft = stepsMax;
  }

  private readonly deadlineMs: number;

  /** Why it ran out, or undefined while it lasts. */
  get cause(): string | undefined {
    return this.spentCause;
  }

  /** Spends `steps`; false once the budget is gone. */
  spend(steps: number): boolean {
    if (this.spentCause !== undefined) return false;
    this.stepsLeft -= steps;
    if (this.stepsLeft < 0) {
      this.spentCause = `cycle search step limit reached (searchStepsMax ${this.stepsMax})`;
      return false;
    }
    this.sinceCheck += steps;
    if (this.sinceCheck >= 4096) {
      this.sinceCheck = 0;
      if (this.now() > this.deadlineMs) {
        this.spentCause = `cycle search time limit reached (timeLimitMs ${this.timeLimitMs})`;
        return false;
      }
    }
    return true;
  }
}
