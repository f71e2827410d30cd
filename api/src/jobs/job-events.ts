import type { JobEvent } from '@verdict/workers';

type Listener = (event: JobEvent) => void;

/**
 * Fans job events out to the clients following a job (server-sent events), keyed by the job they
 * submitted: events of a split job's parts reach followers of the job itself. The events come
 * from the in-process runner, or from worker processes through BullMQ.
 */
export class JobEventHub {
  private readonly listeners = new Map<string, Set<Listener>>();

  emit(event: JobEvent): void {
    for (const listener of this.listeners.get(event.rootId) ?? []) listener(event);
  }

  /** Returns the function that stops listening. */
  subscribe(jobId: string, listener: Listener): () => void {
    let set = this.listeners.get(jobId);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(jobId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(jobId);
    };
  }

  /** Clients following some job right now. */
  get followers(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}
