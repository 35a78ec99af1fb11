import { MessageQueue } from './message-queue';
import type { StreamChannel, StreamMessage, StreamSubscription } from './stream-channel';

/** The stream channel of one process, for the embedded stack where the API and the worker share it. */
export class MemoryStreamChannel implements StreamChannel {
  private readonly queues = new Map<string, Set<MessageQueue>>();
  private readonly cancelListeners = new Set<(inferenceId: string) => void>();

  async publish(inferenceId: string, message: StreamMessage): Promise<void> {
    // A copy, as a networked channel would deliver: no subscriber shares the publisher's objects.
    for (const queue of this.queues.get(inferenceId) ?? []) queue.push(structuredClone(message));
  }

  async subscribe(inferenceId: string): Promise<StreamSubscription> {
    const queue = new MessageQueue();
    let set = this.queues.get(inferenceId);
    if (!set) this.queues.set(inferenceId, (set = new Set()));
    set.add(queue);
    return {
      next: () => queue.next(),
      close: async () => {
        set.delete(queue);
        if (set.size === 0 && this.queues.get(inferenceId) === set) this.queues.delete(inferenceId);
      },
    };
  }

  async publishCancel(inferenceId: string): Promise<void> {
    for (const listener of this.cancelListeners) listener(inferenceId);
  }

  async watchCancels(listener: (inferenceId: string) => void): Promise<void> {
    this.cancelListeners.add(listener);
  }

  async close(): Promise<void> {
    this.queues.clear();
    this.cancelListeners.clear();
  }
}
