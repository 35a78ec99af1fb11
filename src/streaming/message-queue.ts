import type { StreamMessage } from './stream-channel';

/** An unbounded first-in first-out queue of one subscription's messages, read one at a time. */
export class MessageQueue {
  private readonly messages: StreamMessage[] = [];
  private readonly readers: Array<(message: StreamMessage) => void> = [];

  push(message: StreamMessage): void {
    const reader = this.readers.shift();
    if (reader) reader(message);
    else this.messages.push(message);
  }

  next(): Promise<StreamMessage> {
    const message = this.messages.shift();
    if (message) return Promise.resolve(message);
    return new Promise((resolve) => this.readers.push(resolve));
  }
}
