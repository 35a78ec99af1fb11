import Redis from 'ioredis';
import { logger } from '../observability/logger';
import { MemoryResponseCache, RedisResponseCache, type ResponseCache } from './response-cache';

/** Redis with REDIS_URL (shared by every gateway process), otherwise this process's memory. */
export function createResponseCache(environment: NodeJS.ProcessEnv = process.env): ResponseCache {
  const url = environment.REDIS_URL;
  if (!url) return new MemoryResponseCache();
  // Connects on first use: a gateway whose groups cache nothing never opens it.
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', (error) => logger.warn({ error: error.message }, 'Redis response cache connection error'));
  return new RedisResponseCache(redis);
}
