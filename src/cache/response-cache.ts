import type Redis from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { InferenceResult } from '../workflows/inference-types';

/** What a cache entry keeps: the answer in canonical terms (served in either API's format) and where it came from. */
export interface CachedAnswer {
  response: InferenceResult['response'];
  route: InferenceResult['route'];
  /** The inference that produced the answer. */
  inferenceId: string;
  storedAt: number;
}

/** Exact-match answers by cache key; every entry expires. */
export interface ResponseCache {
  get(key: string): Promise<CachedAnswer | undefined>;
  set(key: string, answer: CachedAnswer, ttlMs: number): Promise<void>;
  /** Lets go of any connection. */
  close(): Promise<void>;
}

/**
 * Entries one process keeps in memory, least recently used first out.
 * @default 10000
 */
export const memoryCacheEntries = 10_000;

/** The default, in this process: bounded, least recently used out first, each entry with its TTL. */
export class MemoryResponseCache implements ResponseCache {
  private readonly entries: LRUCache<string, CachedAnswer>;

  constructor(maxEntries = memoryCacheEntries) {
    this.entries = new LRUCache({ max: maxEntries });
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    return this.entries.get(key);
  }

  async set(key: string, answer: CachedAnswer, ttlMs: number): Promise<void> {
    this.entries.set(key, answer, { ttl: ttlMs });
  }

  async close(): Promise<void> {
    this.entries.clear();
  }
}

/** Shared by every gateway process on one Redis (REDIS_URL); Redis expires each entry. */
export class RedisResponseCache implements ResponseCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'gateway:cache:',
  ) {}

  async get(key: string): Promise<CachedAnswer | undefined> {
    const value = await this.redis.get(this.prefix + key);
    return value ? (JSON.parse(value) as CachedAnswer) : undefined;
  }

  async set(key: string, answer: CachedAnswer, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, JSON.stringify(answer), 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
