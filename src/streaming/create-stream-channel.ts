import Redis from 'ioredis';
import { logger } from '../observability/logger';
import { MemoryStreamChannel } from './memory-stream-channel';
import { RedisStreamChannel } from './redis-stream-channel';
import type { StreamChannel } from './stream-channel';

/**
 * Redis pub/sub when REDIS_URL is set (the API and the workers may be separate processes), the
 * process's own channel otherwise.
 */
export function createStreamChannel(redisUrl = process.env.REDIS_URL): StreamChannel {
  if (!redisUrl) return new MemoryStreamChannel();
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  redis.on('error', (error) => logger.warn({ error: error.message }, 'Redis stream channel connection error'));
  const channel = new RedisStreamChannel(redis);
  return {
    publish: (inferenceId, message) => channel.publish(inferenceId, message),
    subscribe: (inferenceId) => channel.subscribe(inferenceId),
    publishCancel: (inferenceId) => channel.publishCancel(inferenceId),
    watchCancels: (listener) => channel.watchCancels(listener),
    close: async () => {
      await channel.close();
      redis.disconnect();
    },
  };
}
