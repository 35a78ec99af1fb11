import { randomUUID } from 'node:crypto';
import { after, before, describe } from 'node:test';
import Redis from 'ioredis';
import type { GatewayConfig } from '../../src/config/gateway-config-schema';
import { RedisRouteStateStore } from '../../src/state/redis-route-state-store';
import type { GatewayStateStore } from '../../src/state/route-state-store';
import { memoryStateStore } from './memory-state-store';
import { startTestRedis, type TestRedis } from './redis-server';

export type StoreFor = (config: GatewayConfig) => GatewayStateStore;

/**
 * Declares the same suite twice: on the in-memory store and on the Redis store (a real
 * redis-server on a free loopback port, started before the suite's own hooks run).
 */
export function onBothStores(title: string, suite: (storeFor: StoreFor) => void): void {
  describe(`${title} (memory store)`, () => suite((config) => memoryStateStore(config)));
  describe(`${title} (Redis store)`, () => {
    let redis: TestRedis;
    const clients: Redis[] = [];
    before(async () => {
      redis = await startTestRedis();
    });
    suite((config) => {
      const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
      clients.push(client);
      return new RedisRouteStateStore(
        client,
        () => config.routing.circuitBreaker,
        () => config.routing.latencyEwmaAlpha,
        `test-${randomUUID()}:`,
      );
    });
    after(async () => {
      for (const client of clients) client.disconnect();
      await redis?.stop();
    });
  });
}
