import { QueueEvents } from 'bullmq';
import { connectionOf, queueNames, type BullmqQueueOptions } from './bullmq-options.js';
import type { JobEvent } from './process-job.js';

/**
 * Relays the job events workers publish (as BullMQ progress) to a listener in the API process,
 * which forwards them to clients following a job. Events are hints: the store stays the truth,
 * and a client that misses one still sees the job's state when it next reads the store.
 */
export class BullmqJobEvents {
  private readonly events: QueueEvents;

  constructor(options: BullmqQueueOptions, listener: (event: JobEvent) => void) {
    const { queueName, prefix } = queueNames(options);
    this.events = new QueueEvents(queueName, { connection: connectionOf(options), prefix });
    this.events.on('progress', ({ data }) => {
      const event = (data as { event?: JobEvent } | null)?.event;
      if (event !== undefined && typeof event.rootId === 'string') listener(event);
    });
    this.events.on('error', () => undefined);
  }

  async ready(): Promise<void> {
    await this.events.waitUntilReady();
  }

  async close(): Promise<void> {
    await this.events.close();
  }
}
