import type Redis from 'ioredis';
import { MessageQueue } from './message-queue';
import type { StreamChannel, StreamMessage, StreamSubscription } from './stream-channel';

/**
 * The stream channel over Redis pub/sub, for an API and workers in separate processes: one Redis
 * channel per inference. Publishing uses the shared connection; subscriptions share one connection
 * in subscriber mode, opened on first use. That connection also holds one pattern subscription for
 * every cancellation from its start, so a provider call listens for its cancel without a Redis
 * command of its own, and the connection never leaves subscriber mode while inferences come and go.
 * (When every call subscribed and unsubscribed a channel of its own, the bench's split deployment
 * stalled for good after a few thousand inferences; the cause inside ioredis was not pinned down.)
 */
export class RedisStreamChannel implements StreamChannel {
  private subscriber: Redis | undefined;
  private readonly queues = new Map<string, Set<MessageQueue>>();
  private readonly cancelListeners = new Set<(inferenceId: string) => void>();
  private cancelPattern: Promise<unknown> | undefined;

  constructor(
    private readonly publisher: Redis,
    private readonly prefix = 'gateway:',
  ) {}

  private channelName(inferenceId: string): string {
    return `${this.prefix}stream:${inferenceId}`;
  }

  private cancelChannelName(inferenceId: string): string {
    return `${this.prefix}cancel:${inferenceId}`;
  }

  private async subscriberConnection(): Promise<Redis> {
    if (!this.subscriber) {
      this.subscriber = this.publisher.duplicate();
      this.subscriber.on('error', () => {}); // the publisher's handler reports connection trouble
      this.subscriber.on('message', (channel: string, text: string) => {
        const queues = this.queues.get(channel);
        if (!queues) return;
        const message = JSON.parse(text) as StreamMessage;
        for (const queue of queues) queue.push(message);
      });
      this.subscriber.on('pmessage', (_pattern: string, channel: string) => {
        const inferenceId = channel.slice(this.cancelChannelName('').length);
        for (const listener of this.cancelListeners) listener(inferenceId);
      });
    }
    // A failed pattern subscription (Redis unreachable) is tried again on the next use.
    this.cancelPattern ??= this.subscriber.psubscribe(`${this.cancelChannelName('')}*`).catch((error: unknown) => {
      this.cancelPattern = undefined;
      throw error;
    });
    await this.cancelPattern;
    return this.subscriber;
  }

  async publish(inferenceId: string, message: StreamMessage): Promise<void> {
    await this.publisher.publish(this.channelName(inferenceId), JSON.stringify(message));
  }

  async subscribe(inferenceId: string): Promise<StreamSubscription> {
    const channel = this.channelName(inferenceId);
    const subscriber = await this.subscriberConnection();
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

  async publishCancel(inferenceId: string): Promise<void> {
    await this.publisher.publish(this.cancelChannelName(inferenceId), '');
  }

  async watchCancels(listener: (inferenceId: string) => void): Promise<void> {
    this.cancelListeners.add(listener);
    await this.subscriberConnection();
  }

  async close(): Promise<void> {
    this.queues.clear();
    this.cancelListeners.clear();
    this.subscriber?.disconnect();
    this.subscriber = undefined;
    this.cancelPattern = undefined;
  }
}
