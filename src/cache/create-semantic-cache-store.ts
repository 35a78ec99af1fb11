import Redis from 'ioredis';
import { logger } from '../observability/logger';
import { MemorySemanticCacheStore, RedisSemanticCacheStore, type SemanticCacheStore } from './semantic-cache-store';

/** Redis with REDIS_URL (shared by every gateway process), otherwise this process's memory. */
export function createSemanticCacheStore(environment: NodeJS.ProcessEnv = process.env): SemanticCacheStore {
  const url = environment.REDIS_URL;
  if (!url) return new MemorySemanticCacheStore();
  // Connects on first use: a gateway whose groups have no semantic cache never opens it.
  const redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', (error) => logger.warn({ error: error.message }, 'Redis semantic cache connection error'));
  return new RedisSemanticCacheStore(redis);
}
