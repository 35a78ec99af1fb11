import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import OpenAI from 'openai';
import { generateGatewayKey, hashKey } from '../../src/api/admission/gateway-keys';
import { parseConfig } from '../../src/config/load-config';
import { onBothStores } from '../helpers/both-stores';
import { simulatorConfig, startTestStack, type TestStack } from '../helpers/test-gateway';

// The per-consumer quota-isolation table: consumer A is limited to 3 RPM, B and C to 10 RPM each, and
// each sends 5 concurrent requests.
const keys = { A: generateGatewayKey('gw'), B: generateGatewayKey('gw'), C: generateGatewayKey('gw') };
const limits = { A: 3, B: 10, C: 10 };

onBothStores('per-tenant rate limits, keys from config', (storeFor) => {
  let stack: TestStack;

  before(async () => {
    stack = await startTestStack(
      (simulator) =>
        parseConfig({
          ...simulatorConfig(simulator),
          tenants: Object.entries(keys).map(([tenant, key]) => ({
            id: `consumer-${tenant}`,
            rpm: limits[tenant as keyof typeof limits],
            keys: [{ id: `${tenant}-key`, sha256: hashKey(key) }],
          })),
        }),
      undefined,
      undefined,
      storeFor,
    );
  });
  after(async () => stack?.stop());

  it('reproduces the isolation table: A gets 3 and 2 refusals with Retry-After, B and C get 5 each', async () => {
    const outcomes = await Promise.all(
      Object.entries(keys).map(async ([tenant, key]) => {
        const client = new OpenAI({ apiKey: key, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
        const results = await Promise.allSettled(
          Array.from({ length: 5 }, () =>
            client.chat.completions.create({ model: 'chat-default', messages: [{ role: 'user', content: tenant }] }),
          ),
        );
        const refused = results
          .filter((result) => result.status === 'rejected')
          .map((result) => (result as PromiseRejectedResult).reason as InstanceType<typeof OpenAI.APIError>);
        for (const error of refused) {
          assert.equal(error.status, 429);
          assert.equal(error.code, 'rate_limited');
          assert.ok(Number(error.headers?.get('retry-after')) > 0);
        }
        return [tenant, { succeed: results.length - refused.length, rateLimited: refused.length }] as const;
      }),
    );
    assert.deepEqual(Object.fromEntries(outcomes), {
      A: { succeed: 3, rateLimited: 2 },
      B: { succeed: 5, rateLimited: 0 },
      C: { succeed: 5, rateLimited: 0 },
    });
  });

  it('accepts keys only by their configured hash and answers an unknown key with 401', async () => {
    const stranger = new OpenAI({
      apiKey: generateGatewayKey('gw'),
      baseURL: `${stack.gateway.url}/v1`,
      maxRetries: 0,
    });
    await assert.rejects(stranger.models.list(), (error: unknown) => error instanceof OpenAI.AuthenticationError);
  });

  it('rejects a malformed key hash in config, naming the field', () => {
    assert.throws(
      () =>
        parseConfig({
          ...simulatorConfig({
            url: 'http://127.0.0.1:9',
            openAIBaseUrl: () => 'http://127.0.0.1:9/v1',
            anthropicBaseUrl: () => 'http://127.0.0.1:9',
          }),
          tenants: [{ id: 't', keys: [{ id: 'k', sha256: 'not-a-hash' }] }],
        }),
      /tenants\.0\.keys\.0\.sha256: must be the 64-character hex SHA-256/,
    );
  });
});
