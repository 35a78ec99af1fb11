import type Redis from 'ioredis';
import { MessageQueue } from './message-queue';
import type { StreamChannel, StreamMessage, StreamSubscription } from './stream-channel';

/**
 * The stream channel over Redis pub/sub, for an API and workers in separate processes: one Redis
 * channel per inference. Publishing uses the shared connection; subscriptions share one connection
 * in subscriber mode, opened on first use.
 */
export class RedisStreamChannel implements StreamChannel {
  private subscriber: Redis | undefined;
  private readonly queues = new Map<string, Set<MessageQueue>>();

  constructor(
    private readonly publisher: Redis,
    private readonly prefix = 'gateway:',
  ) {}

  private channelName(inferenceId: string): string {
    return `${this.prefix}stream:${inferenceId}`;
  }

  private subscriberConnection(): Redis {
    if (!this.subscriber) {
      this.subscriber = this.publisher.duplicate();
      this.subscriber.on('error', () => {}); // the publisher's handler reports connection trouble
      this.subscriber.on('message', (channel: string, text: string) => {
        const queues = this.queues.get(channel);
        if (!queues) return;
        const message = JSON.parse(text) as StreamMessage;
        for (const queue of queues) queue.push(message);
      });
    }
    return this.subscriber;
  }

  async publish(inferenceId: string, message: StreamMessage): Promise<void> {
    await this.publisher.publish(this.channelName(inferenceId), JSON.stringify(message));
  }

  async subscribe(inferenceId: string): Promise<StreamSubscription> {
    const channel = this.channelName(inferenceId);
    const subscriber = this.subscriberConnection();
    const queue = new MessageQueue();
    let set = this.queues.get(channel);
    if (!set) this.queues.set(channel, (set = new Set()));
    set.add(queue);
    try {
      await subscriber.subscribe(channel);
    } catch (error) {
      set.delete(queue);
      throw error;
    }
    return {
      next: () => queue.next(),
      close: async () => {
        set.delete(queue);
        if (set.size > 0 || this.queues.get(channel) !== set) return;
        this.queues.delete(channel);
        await subscriber.unsubscribe(channel).catch(() => {});
      },
    };
  }

  async close(): Promise<void> {
    this.queues.clear();
    this.subscriber?.disconnect();
    this.subscriber = undefined;
  }
}
