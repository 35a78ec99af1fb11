import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import Redis from 'ioredis';
import OpenAI from 'openai';
import { z } from 'zod';
import { inferenceListSchema, inferenceStatusSchema } from '../../src/api/inferences/inference-resource-schema';
import type { GatewayConfig } from '../../src/config/gateway-config-schema';
import { parseConfig } from '../../src/config/load-config';
import type { RunningSimulator } from '../../src/simulator/start-simulator';
import { RedisRouteStateStore } from '../../src/state/redis-route-state-store';
import { startTestRedis, type TestRedis } from '../helpers/redis-server';
import { simulatorConfig, startTestStack, weatherTool, type TestStack } from '../helpers/test-gateway';

/** The simulator config with the exact cache on for `chat-default` and `claude`. */
function cachedConfig(simulator: RunningSimulator): GatewayConfig {
  const config = simulatorConfig(simulator);
  return parseConfig({
    ...config,
    modelGroups: config.modelGroups.map((group) =>
      ['chat-default', 'claude'].includes(group.name) ? { ...group, cache: { ttlSeconds: 60 } } : group,
    ),
  });
}

for (const store of ['memory', 'Redis'] as const) {
  describe(`exact response cache (${store})`, () => {
    let stack: TestStack;
    let redis: TestRedis | undefined;
    let stateClient: Redis | undefined;
    let openai: OpenAI;
    let other: OpenAI;
    let counter = 0;
    /** A prompt no other test sends. */
    const fresh = () => `cache test ${store} ${++counter}`;
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
        stack = await startTestStack(cachedConfig, undefined, undefined, stateClient ? stateOnRedis : undefined);
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

    const ask = (content: string, client = openai, headers: Record<string, string> = {}) =>
      client.chat.completions
        .create({ model: 'chat-default', messages: [{ role: 'user', content }], temperature: 0 }, { headers })
        .withResponse();

    /** GET with a key; the body parsed. */
    const read = async (path: string, key = stack.gatewayKey) => {
      const response = await fetch(`${stack.gateway.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const list = async (query: string, key = stack.gatewayKey) => {
      const { status, body } = await read(`/v1/inferences?${query}`, key);
      assert.equal(status, 200);
      return (body as { data: Array<Record<string, unknown>> }).data;
    };
    /** A hit's audit entry is written after its answer (fire-and-forget): read it once it is there. */
    const auditEntry = async (id: string) => {
      let entry = await read(`/v1/inferences/${id}`);
      for (let wait = 0; wait < 20 && entry.status === 404; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        entry = await read(`/v1/inferences/${id}`);
      }
      return entry;
    };

    it('answers the same request from the cache: no provider call, hit with its age, the producing inference named', async () => {
      const prompt = fresh();
      const first = await ask(prompt);
      assert.equal(first.response.headers.get('x-gateway-cache'), 'miss');
      const calls = gptCalls();
      const second = await ask(prompt);
      assert.equal(second.response.headers.get('x-gateway-cache'), 'hit');
      assert.ok(Number(second.response.headers.get('x-gateway-cache-age')) >= 0);
      assert.equal(
        second.response.headers.get('x-gateway-cache-source-id'),
        first.response.headers.get('x-gateway-inference-id'),
      );
      assert.match(second.response.headers.get('x-gateway-inference-id') ?? '', /^cache-hit-[0-9a-f-]{36}$/);
      assert.equal(second.data.choices[0]?.message.content, first.data.choices[0]?.message.content);
      assert.equal(gptCalls(), calls, 'the hit made no provider call');
      const different = await ask(prompt, openai, {}).then(() => ask(`${prompt} (other words)`));
      assert.equal(different.response.headers.get('x-gateway-cache'), 'miss');
    });

    it('counts a hit in the tenant usage: a request and a cache hit, nothing billed, the tokens and cost it saved', async () => {
      type Totals = {
        requests: number;
        total_tokens: number;
        cost: number;
        cache_hits: number;
        saved_tokens: number;
        saved_cost: number;
      };
      const usage = async (): Promise<Totals> => {
        const response = await fetch(`${stack.gateway.url}/v1/usage`, {
          headers: { authorization: `Bearer ${stack.gatewayKey}` },
        });
        assert.equal(response.status, 200);
        const [own] = ((await response.json()) as { tenants: Totals[] }).tenants;
        assert.ok(own, 'the tenant has a usage row');
        return own;
      };
      const prompt = fresh();
      const miss = await ask(prompt);
      // The miss's bookkeeping is written by its provider call's activity, before its answer.
      const before = await usage();
      const hit = await ask(prompt);
      assert.equal(hit.response.headers.get('x-gateway-cache'), 'hit');
      let after = await usage();
      for (let wait = 0; wait < 20 && after.cache_hits === before.cache_hits; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        after = await usage();
      }
      const tokens = miss.data.usage!.prompt_tokens + miss.data.usage!.completion_tokens;
      assert.equal(after.requests - before.requests, 1);
      assert.equal(after.cache_hits - before.cache_hits, 1);
      assert.equal(after.total_tokens, before.total_tokens, 'a hit bills no tokens');
      assert.equal(after.cost, before.cost, 'a hit bills no cost');
      assert.equal(after.saved_tokens - before.saved_tokens, tokens);
      // chat-default is priced at 1 and 2 per million prompt and completion tokens.
      const expected = (miss.data.usage!.prompt_tokens * 1 + miss.data.usage!.completion_tokens * 2) / 1_000_000;
      assert.ok(
        Math.abs(after.saved_cost - before.saved_cost - expected) < 1e-9,
        `saved ${after.saved_cost - before.saved_cost}, expected ${expected}`,
      );
    });

    it('lists a hit in the audit list, newest first, and reads it back by its own id, for its tenant only', async () => {
      const prompt = fresh();
      const miss = await ask(prompt);
      const missId = miss.response.headers.get('x-gateway-inference-id')!;
      const hit = await ask(prompt);
      const hitId = hit.response.headers.get('x-gateway-inference-id')!;
      assert.notEqual(hitId, missId);

      const entry = await auditEntry(hitId);
      assert.equal(entry.status, 200);
      const { started_at: startedAt, closed_at: closedAt, saved_cost: savedCost, ...rest } = entry.body;
      assert.match(String(startedAt), /^\d{4}-\d{2}-\d{2}T/);
      assert.equal(closedAt, startedAt);
      assert.ok(typeof savedCost === 'number' && savedCost > 0, `saved_cost ${savedCost}`);
      assert.deepEqual(rest, {
        id: hitId,
        object: 'inference',
        status: 'completed',
        outcome: 'cache_hit',
        model_group: 'chat-default',
        traffic_class: 'standard',
        feature: null,
        cache: 'hit',
        similarity: null,
        source_inference_id: missId,
        route: { provider: 'openai', providerKind: 'openai', model: 'sim-gpt', account: 'primary', region: 'us' },
        attempts: 0,
        fallback: false,
        saved_tokens: {
          prompt_tokens: miss.data.usage!.prompt_tokens,
          completion_tokens: miss.data.usage!.completion_tokens,
        },
      });
      const described = z.strictObject(inferenceStatusSchema.shape).safeParse(entry.body);
      assert.ok(described.success, `the OpenAPI schema describes every field: ${described.error?.message}`);
      assert.ok(!JSON.stringify(entry.body).includes(prompt), 'the entry holds no prompt');
      assert.ok(
        !JSON.stringify(entry.body).includes(miss.data.choices[0]!.message.content!),
        'the entry holds no answer',
      );

      // The miss's workflow shows once visibility has indexed it: the hit, newer, comes before it.
      let items: Array<Record<string, unknown>> = [];
      for (let tries = 0; tries < 50 && !items.some((item) => item.id === missId); tries++) {
        if (tries > 0) await new Promise((resolve) => setTimeout(resolve, 200));
        items = await list('limit=100');
      }
      const ids = items.map((item) => item.id);
      assert.ok(ids.includes(hitId) && ids.includes(missId), ids.join(', '));
      assert.ok(ids.indexOf(hitId) < ids.indexOf(missId), 'newest first');
      assert.deepEqual(
        items.find((item) => item.id === hitId),
        {
          id: hitId,
          status: 'completed',
          started_at: startedAt,
          closed_at: startedAt,
          traffic_class: 'standard',
          outcome: 'cache_hit',
          provider: 'openai',
          model: 'sim-gpt',
          region: 'us',
          fallbacks: 0,
          model_group: 'chat-default',
          cache: 'hit',
          similarity: null,
          source_inference_id: missId,
        },
      );
      const listItem = z.strictObject(inferenceListSchema.shape.data.element.shape);
      for (const item of items) assert.ok(listItem.safeParse(item).success, `the OpenAPI schema describes ${item.id}`);
      const workflow = items.find((item) => item.id === missId);
      assert.deepEqual(
        [workflow?.outcome, workflow?.model_group, workflow?.cache, workflow?.source_inference_id],
        ['success', 'chat-default', null, null],
      );
      const started = Date.parse(String(startedAt));
      const onlyHits = await list('outcome=cache_hit&limit=100');
      assert.ok(onlyHits.some((item) => item.id === hitId));
      assert.ok(onlyHits.every((item) => item.outcome === 'cache_hit'));
      assert.ok(!(await list('outcome=success&limit=100')).some((item) => item.id === hitId), 'filters apply');
      assert.ok(!(await list('provider=anthropic&limit=100')).some((item) => item.id === hitId));
      const since = (at: number) => `since=${encodeURIComponent(new Date(at).toISOString())}&limit=100`;
      assert.ok(
        (await list(since(started))).some((item) => item.id === hitId),
        'since is inclusive',
      );
      assert.ok(!(await list(since(started + 1))).some((item) => item.id === hitId));
      assert.equal((await list('limit=1')).length, 1, 'the limit holds for the merged list');

      const fromOther = await read(`/v1/inferences/${hitId}`, stack.otherTenantKey);
      assert.equal(fromOther.status, 404, "another tenant's hit looks like no hit");
      assert.equal((fromOther.body as { error: { code: string } }).error.code, 'inference_not_found');
      assert.ok(!(await list('limit=100', stack.otherTenantKey)).some((item) => item.id === hitId));
      const unknown = await read(`/v1/inferences/cache-hit-00000000-0000-0000-0000-000000000000`);
      assert.equal(unknown.status, 404);
      assert.equal((unknown.body as { error: { code: string } }).error.code, 'inference_not_found');
    });

    it('answers a hit whose audit entry the store fails to keep', async () => {
      const prompt = fresh();
      const miss = await ask(prompt);
      const keep = stack.store.recordCacheHit;
      let failed = 0;
      stack.store.recordCacheHit = async () => {
        failed++;
        throw new Error('the state store is down');
      };
      try {
        const hit = await ask(prompt);
        assert.equal(hit.response.headers.get('x-gateway-cache'), 'hit');
        assert.equal(hit.data.choices[0]?.message.content, miss.data.choices[0]?.message.content);
        assert.equal(failed, 1, 'the write was tried');
        const id = hit.response.headers.get('x-gateway-inference-id')!;
        assert.equal((await read(`/v1/inferences/${id}`)).status, 404, 'nothing was kept');
      } finally {
        stack.store.recordCacheHit = keep;
      }
      const after = await ask(prompt);
      assert.equal((await auditEntry(after.response.headers.get('x-gateway-inference-id')!)).status, 200);
    });

    it('never serves one tenant an entry another tenant stored', async () => {
      const prompt = fresh();
      await ask(prompt);
      const calls = gptCalls();
      const fromOther = await ask(prompt, other);
      assert.equal(fromOther.response.headers.get('x-gateway-cache'), 'miss');
      assert.equal(gptCalls(), calls + 1);
    });

    it('streams a hit as real chunks, tool calls intact', async () => {
      const messages: OpenAI.ChatCompletionMessageParam[] = [
        { role: 'user', content: `${fresh()}: what is the weather in sample city?` },
      ];
      const whole = await openai.chat.completions.create({ model: 'chat-default', messages, tools: [weatherTool] });
      assert.equal(whole.choices[0]?.finish_reason, 'tool_calls');
      const calls = gptCalls();
      const { data: stream, response } = await openai.chat.completions
        .create({ model: 'chat-default', messages, tools: [weatherTool], stream: true })
        .withResponse();
      assert.equal(response.headers.get('x-gateway-cache'), 'hit');
      assert.match(response.headers.get('x-gateway-inference-id') ?? '', /^cache-hit-/, 'a streamed hit names itself');
      assert.match(response.headers.get('x-gateway-cache-source-id') ?? '', /^inf-/);
      const chunks: OpenAI.ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      assert.ok(chunks.length >= 3, 'several chunks, not one');
      const argumentsText = chunks
        .flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])
        .map((call) => call.function?.arguments ?? '')
        .join('');
      assert.deepEqual(
        JSON.parse(argumentsText),
        JSON.parse(
          whole.choices[0]!.message.tool_calls![0]!.type === 'function'
            ? whole.choices[0]!.message.tool_calls![0]!.function.arguments
            : '{}',
        ),
      );
      assert.equal(chunks.at(-1)?.choices[0]?.finish_reason ?? chunks.at(-2)?.choices[0]?.finish_reason, 'tool_calls');
      assert.equal(gptCalls(), calls);
    });

    it('serves a hit in the caller API format: Anthropic events for a Messages stream', async () => {
      const anthropic = new Anthropic({ apiKey: stack.gatewayKey, baseURL: stack.gateway.url, maxRetries: 0 });
      const body = { model: 'claude', max_tokens: 64, messages: [{ role: 'user' as const, content: fresh() }] };
      const first = await anthropic.messages.create(body);
      const calls = stack.simulator.callCount('anthropic/');
      const events: string[] = [];
      const stream = anthropic.messages.stream(body);
      for await (const event of stream) events.push(event.type);
      const final = await stream.finalMessage();
      assert.equal(stack.simulator.callCount('anthropic/'), calls, 'served from the cache');
      assert.ok(
        events.includes('message_start') && events.includes('content_block_delta') && events.includes('message_stop'),
      );
      assert.deepEqual(
        final.content.map((block) => block.type === 'text' && block.text),
        first.content.map((block) => block.type === 'text' && block.text),
      );
    });

    it('follows Cache-Control: no-cache looks nothing up but stores; no-store keeps the answer out', async () => {
      const prompt = fresh();
      await ask(prompt);
      const bypass = await ask(prompt, openai, { 'cache-control': 'no-cache' });
      assert.equal(bypass.response.headers.get('x-gateway-cache'), 'bypass');
      const unstored = fresh();
      await ask(unstored, openai, { 'cache-control': 'no-store' });
      assert.equal(
        (await ask(unstored)).response.headers.get('x-gateway-cache'),
        'miss',
        'a no-store answer was not kept',
      );
      const shortLived = fresh();
      await ask(shortLived, openai, { 'x-gateway-cache-ttl': '1' });
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      assert.equal(
        (await ask(shortLived)).response.headers.get('x-gateway-cache'),
        'miss',
        'the per-request TTL expired it',
      );
      await assert.rejects(
        ask(fresh(), openai, { 'x-gateway-cache-ttl': 'soon' }),
        (error: unknown) => error instanceof OpenAI.BadRequestError && /x-gateway-cache-ttl/.test(error.message),
      );
    });

    it('never stores an error or a content-filtered answer, and says bypass where caching is off', async () => {
      const filtered = fresh();
      stack.simulator.setFaults([{ match: { model: 'sim-gpt' }, error: 'content_filtered', times: 1 }]);
      const first = await ask(filtered);
      assert.equal(first.data.choices[0]?.finish_reason, 'content_filter');
      assert.equal((await ask(filtered)).response.headers.get('x-gateway-cache'), 'miss');
      const failing = fresh();
      stack.simulator.setFaults([{ match: { model: 'sim-gpt' }, error: 'invalid_request', times: 1 }]);
      await assert.rejects(ask(failing));
      stack.simulator.setFaults([]);
      assert.equal((await ask(failing)).response.headers.get('x-gateway-cache'), 'miss');
      const nova = await openai.chat.completions
        .create({ model: 'nova', messages: [{ role: 'user', content: fresh() }] })
        .withResponse();
      assert.equal(nova.response.headers.get('x-gateway-cache'), 'bypass', 'nova has no cache');
    });
  });
}
