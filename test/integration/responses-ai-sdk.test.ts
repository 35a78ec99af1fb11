import { createOpenAI } from '@ai-sdk/openai';
import { generateText, jsonSchema, stepCountIs, streamText, tool, type ModelMessage } from 'ai';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { simulatorRoutes, startTestStack, type TestStack } from '../helpers/test-gateway';

const weather = tool({
  description: 'Current weather for a city',
  inputSchema: jsonSchema<{ city: string }>({
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  }),
  execute: async ({ city }) => `18°C and sunny in ${city}`,
});

describe("The Vercel AI SDK's OpenAI provider (its default model calls POST /v1/responses) against the gateway", () => {
  let stack: TestStack;
  let openai: ReturnType<typeof createOpenAI>;
  const paths: string[] = [];
  const bodies: unknown[] = [];

  before(async () => {
    stack = await startTestStack();
    openai = createOpenAI({
      apiKey: stack.gatewayKey,
      baseURL: `${stack.gateway.url}/v1`,
      // Records the paths the provider calls, to show it speaks the Responses API.
      fetch: async (url, init) => {
        paths.push(new URL(String(url)).pathname);
        bodies.push(JSON.parse(String(init?.body)));
        return fetch(url, init);
      },
    });
  });
  after(async () => stack?.stop());
  beforeEach(() => {
    stack.simulator.setFaults([]);
    paths.length = 0;
    bodies.length = 0;
  });

  for (const route of simulatorRoutes.slice(0, 3)) {
    it(`${route.modelGroup} → ${route.provider}: generateText`, async () => {
      const result = await generateText({
        model: openai(route.modelGroup),
        system: 'Be brief.',
        prompt: `hello ${route.provider}`,
        maxRetries: 0,
      });
      assert.equal(result.text, `Simulated reply to: hello ${route.provider}`);
      assert.equal(result.finishReason, 'stop');
      assert.ok((result.usage.inputTokens ?? 0) > 0 && (result.usage.outputTokens ?? 0) > 0);
      assert.match(result.response.id, /^resp_inf-/);
      assert.deepEqual(paths, ['/v1/responses']);
    });

    it(`${route.modelGroup} → ${route.provider}: streamText`, async () => {
      const result = streamText({
        model: openai(route.modelGroup),
        prompt: `stream from ${route.provider}`,
        maxRetries: 0,
      });
      const pieces: string[] = [];
      for await (const piece of result.textStream) pieces.push(piece);
      assert.ok(pieces.length > 2, 'the text arrived in pieces');
      assert.equal(pieces.join(''), `Simulated reply to: stream from ${route.provider}`);
      assert.equal(await result.finishReason, 'stop');
      assert.ok(((await result.usage).outputTokens ?? 0) > 0);
      assert.deepEqual(paths, ['/v1/responses']);
    });

    it(`${route.modelGroup} → ${route.provider}: a tool call and its result over two steps`, async () => {
      const result = await generateText({
        model: openai(route.modelGroup),
        prompt: 'What is the weather in Paris?',
        tools: { get_weather: weather },
        stopWhen: stepCountIs(2),
        maxRetries: 0,
      });
      assert.equal(result.steps.length, 2);
      const [call] = result.steps[0]!.toolCalls;
      assert.equal(call?.toolName, 'get_weather');
      assert.deepEqual(call?.input, { city: 'sample city' });
      assert.equal(result.text, 'Simulated answer using the tool result: 18°C and sunny in sample city');
      assert.deepEqual(paths, ['/v1/responses', '/v1/responses']);
    });
  }

  it('streamText with a tool: the call streams, then the answer', async () => {
    const result = streamText({
      model: openai('claude'),
      prompt: 'What is the weather in Paris?',
      tools: { get_weather: weather },
      stopWhen: stepCountIs(2),
      maxRetries: 0,
    });
    const kinds = new Set<string>();
    for await (const part of result.fullStream) kinds.add(part.type);
    assert.ok(kinds.has('tool-call') && kinds.has('tool-result') && kinds.has('text-delta'), [...kinds].join(', '));
    assert.equal(await result.text, 'Simulated answer using the tool result: 18°C and sunny in sample city');
  });

  for (const store of [true, false]) {
    it(`Claude's reasoning with a tool, store ${store}: the reasoning text arrives, and the signed thinking goes back with the tool result`, async () => {
      const result = await generateText({
        model: openai('claude'),
        prompt: 'What is the weather in Paris?',
        tools: { get_weather: weather },
        stopWhen: stepCountIs(2),
        maxOutputTokens: 8192,
        providerOptions: { openai: { forceReasoning: true, reasoningEffort: 'low', reasoningSummary: 'auto', store } },
        maxRetries: 0,
      });
      assert.ok(result.steps[0]!.reasoningText, 'the first step carries the reasoning');
      assert.equal(result.text, 'Simulated answer using the tool result: 18°C and sunny in sample city');
      const { input } = bodies.at(-1) as { input: Array<{ type?: string }> };
      // With store on, the SDK refers to its reasoning by id; with it off, it sends the encrypted content back.
      assert.ok(
        input.some((item) => item.type === (store ? 'item_reference' : 'reasoning')),
        JSON.stringify(input),
      );
      const sent = stack.simulator.lastRequest('anthropic/')?.body as {
        messages: Array<{ role: string; content: Array<{ type: string; signature?: string }> }>;
      };
      const assistant = sent.messages.find((message) => message.role === 'assistant');
      assert.deepEqual(
        assistant?.content.map((block) => block.type),
        ['thinking', 'tool_use'],
      );
      assert.ok(assistant?.content[0]?.signature);
    });
  }

  it('a later turn refers to the earlier answer by item_reference (store is on by default), which the gateway reads back', async () => {
    const first = await generateText({ model: openai('chat-default'), prompt: 'My name is Ada.', maxRetries: 0 });
    const messages: ModelMessage[] = [
      { role: 'user', content: 'My name is Ada.' },
      ...first.response.messages,
      { role: 'user', content: 'What is my name?' },
    ];
    const second = await generateText({ model: openai('claude'), messages, maxRetries: 0 });
    assert.equal(second.text, 'Simulated reply to: What is my name?');
    const { input } = bodies.at(-1) as { input: Array<{ type?: string; id?: string }> };
    assert.deepEqual(
      input.map((item) => item.type ?? 'message'),
      ['message', 'item_reference', 'message'],
    );
    assert.match(input[1]?.id ?? '', /^msg_inf-/);
    const sent = stack.simulator.lastRequest('anthropic/')?.body as {
      messages: Array<{ role: string; content: unknown }>;
    };
    assert.deepEqual(
      sent.messages.map((message) => message.role),
      ['user', 'assistant', 'user'],
    );
    assert.match(JSON.stringify(sent.messages[1]), /Simulated reply to: My name is Ada/);
  });
});
