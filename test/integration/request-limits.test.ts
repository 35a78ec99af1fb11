import Anthropic from '@anthropic-ai/sdk';
import { temporal } from '@temporalio/proto';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { generateGatewayKey, hashKey } from '../../src/api/admission/gateway-keys';
import { parseConfig } from '../../src/config/load-config';
import type { RunningSimulator } from '../../src/simulator/start-simulator';
import { simulatorConfig, startTestStack, type TestStack } from '../helpers/test-gateway';

const limitedKey = generateGatewayKey('gw');

/** The simulator's groups, and a tenant whose key holds requests to small maximums. */
function limitsConfig(simulator: RunningSimulator) {
  const base = simulatorConfig(simulator);
  return parseConfig({
    providers: base.providers,
    modelGroups: base.modelGroups,
    routing: { probeIntervalSeconds: 0 },
    tenants: [
      {
        id: 'limited',
        maxMessages: 10,
        keys: [
          { id: 'limited-key', sha256: hashKey(limitedKey), maxMessages: 3, maxPromptTokens: 200, maxOutputTokens: 64 },
        ],
      },
    ],
  });
}

/** About `bytes` of varied text, deterministic from the seed (a 32-bit linear congruential generator). */
function bigPrompt(bytes: number, seed = 7): string {
  const words = [
    'route',
    'quota',
    'token',
    'durable',
    'region',
    'budget',
    'stream',
    'replay',
    'account',
    'provider',
    'fallback',
    'latency',
  ];
  const parts: string[] = [];
  let length = 0;
  let state = seed;
  while (length < bytes) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const word = `${words[state % words.length]}${state % 1_000}`;
    parts.push(word);
    length += word.length + 1;
  }
  return parts.join(' ');
}

describe('per-key request maximums through the official SDKs', () => {
  let stack: TestStack;
  let openai: OpenAI;
  let anthropic: Anthropic;
  const turns = (count: number) =>
    Array.from({ length: count }, (_, index) => ({
      role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
      content: `turn ${index}`,
    }));

  before(async () => {
    stack = await startTestStack(limitsConfig);
    openai = new OpenAI({ apiKey: limitedKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
    anthropic = new Anthropic({ apiKey: limitedKey, baseURL: stack.gateway.url, maxRetries: 0 });
  });
  after(async () => stack?.stop());

  it('refuses a request over a maximum with 400 in the OpenAI shape, without a provider call', async () => {
    const calls = stack.simulator.callCount();
    const refusals = await Promise.all(
      [
        openai.chat.completions.create({ model: 'chat-default', messages: turns(5) }),
        openai.chat.completions.create({
          model: 'chat-default',
          messages: [{ role: 'user', content: 'word '.repeat(400) }],
        }),
        openai.chat.completions.create({ model: 'chat-default', messages: turns(1), max_tokens: 65 }),
        openai.chat.completions.create({ model: 'chat-default', messages: turns(1), max_completion_tokens: 65 }),
      ].map((promise) =>
        promise.then(
          () => assert.fail('expected a refusal'),
          (error: unknown) => error,
        ),
      ),
    );
    assert.deepEqual(
      refusals.map((error) =>
        error instanceof OpenAI.BadRequestError ? { code: error.code, param: error.param } : String(error),
      ),
      [
        { code: 'too_many_messages', param: 'messages' },
        { code: 'prompt_too_large', param: 'messages' },
        { code: 'max_tokens_too_large', param: 'max_tokens' },
        { code: 'max_tokens_too_large', param: 'max_completion_tokens' },
      ],
    );
    assert.match(
      (refusals[0] as Error).message,
      /5 messages; this key allows at most 3/,
      "the key's maximum overrides its tenant's",
    );
    assert.equal(stack.simulator.callCount(), calls);
  });

  it('refuses it in the Anthropic shape on /v1/messages, and serves a request within the maximums', async () => {
    const error = await anthropic.messages.create({ model: 'claude', max_tokens: 100, messages: turns(1) }).then(
      () => assert.fail('expected a refusal'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof Anthropic.BadRequestError, String(error));
    assert.equal((error.error as { error?: { type?: string } }).error?.type, 'invalid_request_error');
    assert.match(error.message, /asks for 100 output tokens \(max_tokens\); this key allows at most 64/);

    const message = await anthropic.messages.create({ model: 'claude', max_tokens: 64, messages: turns(3) });
    assert.equal(message.type, 'message');
    const completion = await openai.chat.completions.create({ model: 'chat-default', messages: turns(3) });
    assert.equal(completion.choices[0]?.message.content, 'Simulated reply to: turn 2');
  });

  it("refuses a body nested 100,000 levels deep with 400 in each API's shape, and serves one nested 40 levels", async () => {
    // About 200 KB: well under the body limit, yet deep enough to exhaust any recursive walk.
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const tool = (parameters: string) =>
      `{"type":"function","function":{"name":"deep","parameters":{"type":"object","properties":{"x":{"type":"array","default":${parameters}}}}}}`;
    const send = (path: string, body: string) =>
      fetch(`${stack.gateway.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.gatewayKey}`, 'content-type': 'application/json' },
        body,
      });
    const chat = await send(
      '/v1/chat/completions',
      `{"model":"chat-default","messages":[{"role":"user","content":"hi"}],"tools":[${tool(deep)}]}`,
    );
    assert.equal(chat.status, 400);
    const chatBody = (await chat.json()) as { error: { code: string; message: string } };
    assert.equal(chatBody.error.code, 'invalid_request');
    assert.match(chatBody.error.message, /deeper than 64 levels/);
    const messages = await send(
      '/v1/messages',
      `{"model":"claude","max_tokens":16,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"deep","input_schema":{"type":"object","properties":{"x":{"type":"array","default":${deep}}}}}]}`,
    );
    assert.equal(messages.status, 400);
    const messagesBody = (await messages.json()) as { type: string; error: { type: string; code: string } };
    assert.equal(messagesBody.type, 'error');
    assert.equal(messagesBody.error.code, 'invalid_request');
    const shallow = `${'['.repeat(30)}${']'.repeat(30)}`;
    const served = await send(
      '/v1/chat/completions',
      `{"model":"chat-default","messages":[{"role":"user","content":"hi"}],"tools":[${tool(shallow)}]}`,
    );
    assert.equal(served.status, 200, await served.clone().text());
  });

  it('serves a 3 MiB prompt, past the 2 MiB Temporal allows a payload, by keeping it outside history', async () => {
    const openaiAdmin = new OpenAI({ apiKey: stack.gatewayKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
    const prompt = bigPrompt(3 * 1024 * 1024);
    const { data, response } = await openaiAdmin.chat.completions
      .create({ model: 'chat-default', messages: [{ role: 'user', content: prompt }] })
      .withResponse();
    assert.equal(data.choices[0]?.message.content, `Simulated reply to: ${prompt.slice(0, 200)}`);

    const streamed = await openaiAdmin.chat.completions.create({
      model: 'claude',
      stream: true,
      messages: [{ role: 'user', content: prompt }],
    });
    let text = '';
    for await (const chunk of streamed) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, `Simulated reply to: ${prompt.slice(0, 200)}`);

    const history = await stack.gateway.client.workflow
      .getHandle(response.headers.get('x-gateway-inference-id')!)
      .fetchHistory();
    const historyBytes = temporal.api.history.v1.History.encode(history).finish().length;
    assert.ok(
      historyBytes < 256 * 1024,
      `the whole history is ${historyBytes} bytes, below Temporal's 256 KiB payload warning size`,
    );
    const stored = readdirSync(stack.payloadDir);
    assert.ok(stored.length >= 2, `the prompts are kept in files (${stored.length})`);
    assert.ok(stored.every((name) => statSync(join(stack.payloadDir, name)).size > 3 * 1024 * 1024));
  });
});
