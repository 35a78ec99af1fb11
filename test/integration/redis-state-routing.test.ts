import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Redis from 'ioredis';
import OpenAI from 'openai';
import { generateGatewayKey, hashKey } from '../../src/api/admission/gateway-keys';
import { parseConfig } from '../../src/config/load-config';
import { RedisRouteStateStore } from '../../src/state/redis-route-state-store';
import { startTestRedis, type TestRedis } from '../helpers/redis-server';
import { routingConfig, routingEnvironment } from '../helpers/routing-scenarios';
import { startTestStack, type TestStack } from '../helpers/test-gateway';

describe('routing on shared Redis state', () => {
  let redis: TestRedis;
  let client: Redis;
  let stack: TestStack;
  const limitedKey = generateGatewayKey('gw');

  before(async () => {
    redis = await startTestRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    client.on('error', () => {}); // expected once the server is stopped on purpose
    const configFor = (simulator: Parameters<typeof routingConfig>[0]) =>
      parseConfig({
        ...routingConfig(simulator),
        tenants: [{ id: 'limited', rpm: 100, keys: [{ id: 'limited-key', sha256: hashKey(limitedKey) }] }],
      });
    stack = await startTestStack(
      configFor,
      routingEnvironment,
      undefined,
      (config) =>
        new RedisRouteStateStore(
          client,
          () => config.routing.circuitBreaker,
          () => config.routing.latencyEwmaAlpha,
          `test-${randomUUID()}:`,
        ),
    );
  });
  after(async () => {
    await stack?.stop();
    client?.disconnect();
    await redis?.stop();
  });

  it('quota overflow (one 3-RPM primary) gives exactly 3 + 7 with the quota windows kept in Redis', async () => {
    const openai = new OpenAI({ apiKey: stack.gatewayKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        openai.chat.completions
          .create({ model: 'quota-one-primary', messages: [{ role: 'user', content: 'x' }] })
          .withResponse(),
      ),
    );
    const served: Record<string, number> = {};
    for (const { response } of results)
      served[response.headers.get('x-gateway-account')!] =
        (served[response.headers.get('x-gateway-account')!] ?? 0) + 1;
    assert.deepEqual(served, { primary: 3, fallback: 7 });
    assert.ok((await client.keys('test-*route:*')).length > 0, 'the state lives in Redis');
  });
  // Last: it stops the Redis server.
  it('refuses with 503 state_unavailable, never ignoring limits, when Redis is down', async () => {
    const limited = new OpenAI({ apiKey: limitedKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
    await limited.chat.completions.create({
      model: 'quota-one-primary',
      messages: [{ role: 'user', content: 'while up' }],
    });
    await redis.stop();
    await assert.rejects(
      limited.chat.completions.create({
        model: 'quota-one-primary',
        messages: [{ role: 'user', content: 'while down' }],
      }),
      (error: unknown) =>
        error instanceof OpenAI.APIError && error.status === 503 && error.code === 'state_unavailable',
    );
  });
});
