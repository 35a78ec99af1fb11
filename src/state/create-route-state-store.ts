import Redis from 'ioredis';
import type { GatewayConfig } from '../config/gateway-config-schema';
import { MemoryRouteStateStore } from './memory-route-state-store';
import { RedisRouteStateStore } from './redis-route-state-store';
import type { RouteStateStore } from './route-state-store';

/** Redis when REDIS_URL is set (state shared by every gateway process), memory otherwise. */
export function createRouteStateStore(getConfig: () => GatewayConfig, redisUrl = process.env.REDIS_URL): RouteStateStore {
  const circuit = () => getConfig().routing.circuitBreaker;
  const alpha = () => getConfig().routing.latencyEwmaAlpha;
  if (!redisUrl) return new MemoryRouteStateStore(circuit, alpha);
  return new RedisRouteStateStore(new Redis(redisUrl, { maxRetriesPerRequest: 2 }), circuit, alpha);
}
