import { EventQueue } from './event-queue.js';

/** Receives each event the scheduler pops, as the row the event was scheduled with. */
export interface EventDispatcher {
  dispatch(kind: number, node: number, a: number, b: number, ref: unknown): void;
}

/** Why `Scheduler.run` returned. */
export type RunStop = 'stopped' | 'idle' | 'events' | 'time';

/**
 * Discrete-event scheduling on virtual time, in milliseconds from the start of the run. Time only
 * moves when an event is popped; nothing here reads a real clock.
 */
export class Scheduler {
  private current = 0;
  private processed = 0;
  private stopRequested = false;
  private readonly queue = new EventQueue();

  /** Virtual time of the event being processed (or of the last one). */
  get nowMs(): number {
    return this.current;
  }

  get eventsProcessed(): number {
    return this.processed;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Schedules an event at an absolute virtual time; a time in the past means "now". */
  at(timeMs: number, kind: number, node: number, a: number, b: number, ref: unknown): void {
    this.queue.push(timeMs > this.current ? timeMs : this.current, kind, node, a, b, ref);
  }

  after(delayMs: number, kind: number, node: number, a: number, b: number, ref: unknown): void {
    this.queue.push(this.current + (delayMs > 0 ? delayMs : 0), kind, node, a, b, ref);
  }

  /** Ends the current `run` after the event being dispatched. */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Dispatches events in (time, insertion) order until `stop()`, an empty queue, `eventsMax`
   * events, or the next event lying beyond `timeMsMax` (time then advances to `timeMsMax`).
   */
  run(dispatcher: EventDispatcher, eventsMax: number, timeMsMax = Infinity): RunStop {
    const q = this.queue;
    this.stopRequested = false;
    for (let n = 0; n < eventsMax; n++) {
      if (q.length === 0) return 'idle';
      if (q.peekTime() > timeMsMax) {
        if (timeMsMax !== Infinity && timeMsMax > this.current) this.current = timeMsMax;
        return 'time';
      }
      const slot = q.pop();
      this.current = q.timeOf(slot);
      const kind = q.kinds[slot]!;
      const node = q.nodes[slot]!;
      const a = q.as[slot]!;
      const b = q.bs[slot]!;
      const ref = q.refs[slot];
      q.release(slot);
      this.processed++;
      dispatcher.dispatch(kind, node, a, b, ref);
      if (this.stopRequested) return 'stopped';
    }
    return 'events';
  }
}
