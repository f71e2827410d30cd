/** A mark that aims a nemesis's faults: who marked which event, naming which peer (node indices). */
export interface Aim {
  event: string;
  node: number;
  peer: number | undefined;
}

/** The events of a trigger spec: `"prepared"`, or a chain `"prepare-sent>prepared"`. */
export function triggerEvents(spec: string): string[] {
  return spec.split('>').map((e) => e.trim());
}

/**
 * The protocol event a nemesis waits for: one event, or a chain of them where each mark after the
 * first must name, as its peer, the node that made the one before. A chain narrows the moment: a
 * 3PC participant executes PreCommit many times a second, but `pre-commit-sent>pre-committed` is
 * the first participant to do so for a transaction whose coordinator marked it as writing at two
 * participants. A newer mark of the chain's first event starts the chain over.
 */
export class MarkTrigger {
  readonly events: readonly string[];
  private stage = 0;
  private previous: number | undefined;

  constructor(readonly spec: string) {
    this.events = triggerEvents(spec);
  }

  /** Forgets a chain in progress (on arming). */
  reset(): void {
    this.stage = 0;
    this.previous = undefined;
  }

  /** Feeds one mark; returns the aim when it completes the trigger. */
  offer(node: number, event: string, peer: number | undefined): Aim | undefined {
    const last = this.events.length - 1;
    if (last > 0 && event === this.events[0]) {
      this.stage = 1;
      this.previous = node;
      return undefined;
    }
    if (event !== this.events[this.stage] || (this.stage > 0 && peer !== this.previous)) return undefined;
    if (this.stage === last) {
      this.reset();
      return { event, node, peer };
    }
    this.stage++;
    this.previous = node;
    return undefined;
  }
}
