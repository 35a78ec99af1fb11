import { logger } from '../observability/logger';
import type { StreamChannel, StreamMessage } from '../streaming/stream-channel';

/**
 * Publishes one attempt's messages in order without waiting for each. After a publish fails the
 * channel counts as broken for this attempt and the rest is dropped: the client then gets the
 * answer from the workflow's result instead (see stream-inference.ts).
 */
export function createStreamSender(channel: StreamChannel, inferenceId: string) {
  let last: Promise<void> = Promise.resolve();
  let broken = false;
  return {
    get broken(): boolean {
      return broken;
    },
    send(message: StreamMessage): void {
      if (broken) return;
      last = channel.publish(inferenceId, message).catch((error: Error) => {
        if (!broken)
          logger.warn(
            { inferenceId, error: error.message },
            'stream channel publish failed; the answer will reach the client from the result',
          );
        broken = true;
      });
    },
    /** Waits until everything sent so far has been handed to the channel. */
    flush(): Promise<void> {
      return last;
    },
  };
}
