import Redis from 'ioredis';
import type { GatewayConfig } from '../config/gateway-config-schema';
import { logger } from '../observability/logger';
import { MemoryRouteStateStore } from './memory-route-state-store';
import { RedisRouteStateStore } from './redis-route-state-store';
import type { GatewayStateStore } from './route-state-store';

/** Redis when REDIS_URL is set (state shared by every gateway process), memory otherwise. */
export function createRouteStateStore(
  getConfig: () => GatewayConfig,
  redisUrl = process.env.REDIS_URL,
): GatewayStateStore {
  const circuit = () => getConfig().routing.circuitBreaker;
  const alpha = () => getConfig().routing.latencyEwmaAlpha;
  if (!redisUrl) return new MemoryRouteStateStore(circuit, alpha);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  // Commands fail (and limits fail closed) while Redis is away; the connection itself keeps retrying.
  redis.on('error', (error) => logger.warn({ error: error.message }, 'Redis connection error'));
  return new RedisRouteStateStore(redis, circuit, alpha);
}
