import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Redis from 'ioredis';
import OpenAI from 'openai';
import type { GatewayConfig } from '../../src/config/gateway-config-schema';
import { parseConfig } from '../../src/config/load-config';
import type { RunningSimulator } from '../../src/simulator/start-simulator';
import { RedisRouteStateStore } from '../../src/state/redis-route-state-store';
import { startTestRedis, type TestRedis } from '../helpers/redis-server';
import { simulatorConfig, startTestStack, type TestStack } from '../helpers/test-gateway';

/**
 * The simulator config with the semantic cache on `chat-default` (the local embedder) and on
 * `claude` (the gateway-routed `vectors` group, whose simulated vectors are a hash of the text:
 * equal texts score 1, others about 0, so it tests the mechanics, not meaning).
 */
function semanticConfig(simulator: RunningSimulator): GatewayConfig {
  const config = simulatorConfig(simulator);
  return parseConfig({
    ...config,
    modelGroups: [
      ...config.modelGroups.map((group) =>
        group.name === 'chat-default'
          ? { ...group, cache: { ttlSeconds: 60, semantic: {} } }
          : group.name === 'claude'
            ? { ...group, cache: { ttlSeconds: 60, semantic: { embeddingModelGroup: 'vectors' } } }
            : group,
      ),
      {
        name: 'vectors',
        operation: 'embeddings',
        deployments: [{ provider: 'openai', model: 'text-embedding-3-small', account: 'primary', region: 'us' }],
      },
    ],
  });
}

for (const store of ['memory', 'Redis'] as const) {
  describe(`semantic response cache (${store})`, () => {
    let stack: TestStack;
    let redis: TestRedis | undefined;
    let stateClient: Redis | undefined;
    let openai: OpenAI;
    let other: OpenAI;
    let counter = 0;
    /** A system prompt no other test sends: the system prompt is part of the partition, so each test starts empty. */
    const freshSystem = () => `You answer cache test ${store} ${++counter}.`;
    const gptCalls = () => stack.simulator.callCount('openai/primary/us/sim-gpt');

    before(async () => {
      if (store === 'Redis') {
        redis = await startTestRedis();
        process.env.REDIS_URL = redis.url;
        stateClient = new Redis(redis.url, { maxRetriesPerRequest: 1 });
      }
      try {
        // On Redis, the tenant state (usage, the audit of hits) is there too, beside the cache.
        const stateOnRedis = (config: GatewayConfig) =>
          new RedisRouteStateStore(
            stateClient!,
            () => config.routing.circuitBreaker,
            () => config.routing.latencyEwmaAlpha,
            `test-${randomUUID()}:`,
          );
        stack = await startTestStack(semanticConfig, undefined, undefined, stateClient ? stateOnRedis : undefined);
      } finally {
        delete process.env.REDIS_URL;
      }
      openai = new OpenAI({ apiKey: stack.gatewayKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
      other = new OpenAI({ apiKey: stack.otherTenantKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
    });
    after(async () => {
      await stack?.stop();
      stateClient?.disconnect();
      await redis?.stop();
    });

    const ask = (
      system: string,
      content: string,
      client = openai,
      extra: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {},
      model = 'chat-default',
    ) =>
      client.chat.completions
        .create({
          model,
          messages: [
            { role: 'system', content: system },
            { role: 'user', content },
          ],
          temperature: 0,
          ...extra,
        })
        .withResponse();
    /** Waits for the fire-and-forget write of the answer just given (embedding and storing it). */
    const stored = () => new Promise((resolve) => setTimeout(resolve, 150));

    it('answers a paraphrase from the cache with its similarity, and no provider call', async () => {
      const system = freshSystem();
      const first = await ask(system, 'How do I reset my password?');
      assert.equal(first.response.headers.get('x-gateway-cache'), 'miss');
      await stored();
      const calls = gptCalls();
      const second = await ask(system, 'How can I reset my password?');
      assert.equal(second.response.headers.get('x-gateway-cache'), 'semantic-hit');
      const similarity = Number(second.response.headers.get('x-gateway-cache-similarity'));
      assert.ok(similarity >= 0.95 && similarity < 1, `similarity ${similarity}`);
      assert.equal(
        second.response.headers.get('x-gateway-cache-source-id'),
        first.response.headers.get('x-gateway-inference-id'),
      );
      assert.equal(second.data.choices[0]?.message.content, first.data.choices[0]?.message.content);
      assert.equal(gptCalls(), calls, 'the hit made no provider call');
      const exact = await ask(system, 'How do I reset my password?');
      assert.equal(exact.response.headers.get('x-gateway-cache'), 'hit', 'the same text is still an exact hit');
    });

    it('streams a semantic hit as real chunks', async () => {
      const system = freshSystem();
      const first = await ask(system, 'Explain how photosynthesis works');
      await stored();
      const calls = gptCalls();
      const { data: stream, response } = await openai.chat.completions
        .create({
          model: 'chat-default',
          messages: [
            { role: 'system', content: system },
            { role: 'user', content: 'Explain how photosynthesis works.' },
          ],
          temperature: 0,
          stream: true,
        })
        .withResponse();
      assert.equal(response.headers.get('x-gateway-cache'), 'semantic-hit');
      const chunks: OpenAI.ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      assert.ok(chunks.length >= 3, 'several chunks, not one');
      assert.equal(
        chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join(''),
        first.data.choices[0]?.message.content,
      );
      assert.equal(gptCalls(), calls);
    });

    it('turns away near misses: another number, a negation, a reversed conversion', async () => {
      const system = freshSystem();
      await ask(system, 'Convert 5 USD to EUR');
      await stored();
      for (const nearMiss of ['Convert 6 USD to EUR', 'Convert EUR to USD', 'Do not convert 5 USD to EUR']) {
        const calls = gptCalls();
        const answer = await ask(system, nearMiss);
        assert.equal(answer.response.headers.get('x-gateway-cache'), 'miss', nearMiss);
        assert.equal(gptCalls(), calls + 1, `${nearMiss} went to the provider`);
      }
    });

    it('never serves one tenant an entry another tenant stored', async () => {
      const system = freshSystem();
      await ask(system, 'What is the boiling point of water?', other);
      await stored();
      const calls = gptCalls();
      const mine = await ask(system, "What's the boiling point of water?");
      assert.equal(mine.response.headers.get('x-gateway-cache'), 'miss');
      assert.equal(gptCalls(), calls + 1);
      await stored();
      assert.equal(
        (await ask(system, "What's the boiling point of water?", other)).response.headers.get('x-gateway-cache'),
        'semantic-hit',
        'the other tenant still reads its own entry',
      );
    });

    it('lists a semantic hit in the audit list with its similarity, for its tenant only', async () => {
      const read = async (path: string, key = stack.gatewayKey) => {
        const response = await fetch(`${stack.gateway.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      const system = freshSystem();
      const miss = await ask(system, 'How do I change my email address?');
      await stored();
      const hit = await ask(system, 'How can I change my email address?', openai, {});
      assert.equal(hit.response.headers.get('x-gateway-cache'), 'semantic-hit');
      const id = hit.response.headers.get('x-gateway-inference-id')!;
      const similarity = Number(hit.response.headers.get('x-gateway-cache-similarity'));
      let entry = await read(`/v1/inferences/${id}`);
      for (let wait = 0; wait < 20 && entry.status === 404; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        entry = await read(`/v1/inferences/${id}`);
      }
      assert.equal(entry.status, 200);
      assert.equal(entry.body.outcome, 'semantic_cache_hit');
      assert.equal(entry.body.cache, 'semantic-hit');
      assert.equal(entry.body.source_inference_id, miss.response.headers.get('x-gateway-inference-id'));
      assert.equal(Number((entry.body.similarity as number).toFixed(4)), similarity);
      assert.ok(!JSON.stringify(entry.body).includes('email'), 'the entry holds no prompt');

      const listed = await read('/v1/inferences?outcome=semantic_cache_hit&limit=100');
      const item = (listed.body as { data: Array<Record<string, unknown>> }).data.find((row) => row.id === id);
      assert.deepEqual([item?.cache, item?.similarity], ['semantic-hit', entry.body.similarity]);
      assert.equal((await read(`/v1/inferences/${id}`, stack.otherTenantKey)).status, 404);
      const theirs = await read('/v1/inferences?limit=100', stack.otherTenantKey);
      assert.ok(!(theirs.body as { data: Array<{ id: string }> }).data.some((row) => row.id === id));
    });

    it('keeps earlier turns and parameters exact: another history or tool_choice never hits', async () => {
      const system = freshSystem();
      await ask(system, 'How do I cancel my subscription?');
      await stored();
      const history = await openai.chat.completions
        .create({
          model: 'chat-default',
          temperature: 0,
          messages: [
            { role: 'system', content: system },
            { role: 'user', content: 'I use the mobile app.' },
            { role: 'assistant', content: 'Noted.' },
            { role: 'user', content: 'How can I cancel my subscription?' },
          ],
        })
        .withResponse();
      assert.equal(history.response.headers.get('x-gateway-cache'), 'miss', 'another conversation before the question');
      const sampling = await ask(system, 'How can I cancel my subscription?', openai, { temperature: 0.5 });
      assert.equal(sampling.response.headers.get('x-gateway-cache'), 'miss', 'another temperature');
    });

    it('counts a semantic hit in the tenant usage as a request and a cache hit', async () => {
      type Totals = { requests: number; total_tokens: number; cache_hits: number; saved_tokens: number };
      const usage = async (): Promise<Totals> => {
        const response = await fetch(`${stack.gateway.url}/v1/usage?tenant=tenant-test`, {
          headers: { authorization: `Bearer ${stack.gatewayKey}` },
        });
        const [own] = ((await response.json()) as { tenants: Totals[] }).tenants;
        return own!;
      };
      const system = freshSystem();
      const miss = await ask(system, 'How do I update my billing address?');
      await stored();
      const before = await usage();
      const hit = await ask(system, 'How can I update my billing address?');
      assert.equal(hit.response.headers.get('x-gateway-cache'), 'semantic-hit');
      let after = await usage();
      for (let wait = 0; wait < 20 && after.cache_hits === before.cache_hits; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        after = await usage();
      }
      assert.equal(after.requests - before.requests, 1);
      assert.equal(after.cache_hits - before.cache_hits, 1);
      assert.equal(after.total_tokens, before.total_tokens, 'a hit bills no tokens');
      assert.equal(
        after.saved_tokens - before.saved_tokens,
        miss.data.usage!.prompt_tokens + miss.data.usage!.completion_tokens,
      );
    });

    it('embeds through a gateway-routed embeddings group when the group names one', async () => {
      const system = freshSystem();
      const embeddingCalls = () => stack.simulator.callCount('openai/primary/us/text-embedding-3-small');
      const before = embeddingCalls();
      await ask(system, 'Tell me a joke about cats', openai, { max_tokens: 64 }, 'claude');
      await stored();
      assert.equal(
        embeddingCalls(),
        before + 1,
        'the lookup embedded the prompt once through the gateway; storing reused the vector',
      );
      // The simulator's vectors hash the text, so only the same text (here with other spacing, so no exact hit) scores 1.
      const hit = await ask(system, '  Tell me a joke about cats ', openai, { max_tokens: 64 }, 'claude');
      assert.equal(hit.response.headers.get('x-gateway-cache'), 'semantic-hit');
      assert.equal(Number(hit.response.headers.get('x-gateway-cache-similarity')), 1);
      assert.equal(
        (await ask(system, 'Tell me a joke about dogs', openai, { max_tokens: 64 }, 'claude')).response.headers.get(
          'x-gateway-cache',
        ),
        'miss',
      );
    });
  });
}
