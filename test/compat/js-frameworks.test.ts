import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { ChatAnthropic } from '@langchain/anthropic';
import type { AIMessageChunk } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { Agent, OpenAIProvider, Runner, setTracingDisabled, tool as agentTool } from '@openai/agents';
import { generateText, stepCountIs, streamText, tool, type LanguageModel } from 'ai';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { simulatorRoutes, startTestStack, weatherTool, type TestStack } from '../helpers/test-gateway';

// One stack for the three frameworks (each file of the suite pays for its own Temporal server and bundle).
let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(async () => stack?.stop());

// The SDK logs its own warnings (here: seed and frequencyPenalty, which Anthropic's API lacks) to the console.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

const weather = tool({
  description: 'Current weather for a city',
  inputSchema: z.object({ city: z.string() }),
  execute: async ({ city }) => `sunny in ${city}`,
});

describe('the Vercel AI SDK (ai 6: @ai-sdk/openai chat models, @ai-sdk/anthropic) through the gateway, to every provider kind', () => {
  let models: Array<{ label: string; model: () => LanguageModel; counter: string }>;

  before(() => {
    const openai = createOpenAI({ baseURL: `${stack.gateway.url}/v1`, apiKey: stack.gatewayKey });
    const anthropic = createAnthropic({ baseURL: `${stack.gateway.url}/v1`, apiKey: stack.gatewayKey });
    models = simulatorRoutes.flatMap(({ modelGroup, counter }) => [
      { label: `openai.chat('${modelGroup}')`, model: () => openai.chat(modelGroup), counter },
      { label: `anthropic('${modelGroup}')`, model: () => anthropic(modelGroup), counter },
    ]);
  });

  it('generateText with seed and frequencyPenalty: accepted by every route, sent as is to the OpenAI-wire ones, named dropped elsewhere', async () => {
    for (const { label, model, counter } of models) {
      const calls = stack.simulator.callCount(counter);
      const result = await generateText({
        model: model(),
        prompt: `Hello AI SDK via ${label}`,
        seed: 7,
        frequencyPenalty: 0.3,
        maxOutputTokens: 256,
      });
      assert.equal(result.text, `Simulated reply to: Hello AI SDK via ${label}`, label);
      assert.equal(result.finishReason, 'stop', label);
      assert.ok((result.usage.outputTokens ?? 0) > 0, `${label}: usage`);
      assert.equal(stack.simulator.callCount(counter) - calls, 1, `${label}: served by its route`);
      if (!label.startsWith('openai.chat')) continue;
      // The anthropic provider leaves both out itself (with a warning); the openai one sends them to the gateway.
      const sent = stack.simulator.lastRequest(counter)!.body as Record<string, unknown>;
      const dropped = result.response.headers?.['x-gateway-dropped-params'] ?? '';
      if (counter.startsWith('openai/'))
        assert.deepEqual([sent.seed, sent.frequency_penalty, dropped], [7, 0.3, ''], label);
      else assert.deepEqual(dropped.split(', ').sort(), ['frequency_penalty', 'seed'], label);
    }
  });

  it('streamText streams the answer and its usage', async () => {
    for (const { label, model } of models) {
      const result = streamText({
        model: model(),
        prompt: `Stream via ${label}`,
        seed: 7,
        frequencyPenalty: 0.3,
        maxOutputTokens: 256,
      });
      const deltas: string[] = [];
      for await (const delta of result.textStream) deltas.push(delta);
      assert.equal(deltas.join(''), `Simulated reply to: Stream via ${label}`, label);
      assert.ok(deltas.length > 1, `${label}: more than one delta`);
      assert.equal(await result.finishReason, 'stop', label);
      assert.ok(((await result.usage).outputTokens ?? 0) > 0, `${label}: usage`);
    }
  });

  it('a tool call, executed by the SDK, whose result goes back for the final answer (generate and stream)', async () => {
    for (const { label, model } of models) {
      const generated = await generateText({
        model: model(),
        prompt: 'Weather in `Lyon`?',
        tools: { get_weather: weather },
        stopWhen: stepCountIs(3),
        maxOutputTokens: 256,
      });
      assert.deepEqual(
        generated.steps.map((step) => step.finishReason),
        ['tool-calls', 'stop'],
        label,
      );
      assert.deepEqual(
        generated.steps[0]!.toolCalls.map((call) => [call.toolName, call.input]),
        [['get_weather', { city: 'Lyon' }]],
        label,
      );
      assert.equal(generated.text, 'Simulated answer using the tool result: sunny in Lyon', label);

      const streamed = streamText({
        model: model(),
        prompt: 'Weather in `Oslo`?',
        tools: { get_weather: weather },
        stopWhen: stepCountIs(3),
        maxOutputTokens: 256,
      });
      assert.equal(await streamed.text, 'Simulated answer using the tool result: sunny in Oslo', label);
      assert.deepEqual(
        (await streamed.steps)[0]!.toolCalls.map((call) => call.input),
        [{ city: 'Oslo' }],
        label,
      );
    }
  });
});

describe('LangChain JS (ChatOpenAI, ChatAnthropic) through the gateway, to every provider kind', () => {
  const chatModels = () =>
    simulatorRoutes.flatMap(({ modelGroup, counter }) => [
      {
        label: `ChatOpenAI ${modelGroup}`,
        counter,
        chat: new ChatOpenAI({
          model: modelGroup,
          apiKey: stack.gatewayKey,
          configuration: { baseURL: `${stack.gateway.url}/v1` },
          maxRetries: 0,
        }),
      },
      {
        label: `ChatAnthropic ${modelGroup}`,
        counter,
        chat: new ChatAnthropic({
          model: modelGroup,
          apiKey: stack.gatewayKey,
          anthropicApiUrl: stack.gateway.url,
          maxRetries: 0,
        }),
      },
    ]);

  it('invoke answers with usage, from the route of the group', async () => {
    for (const { label, counter, chat } of chatModels()) {
      const calls = stack.simulator.callCount(counter);
      const answer = await chat.invoke(`Hello LangChain via ${label}`);
      assert.equal(answer.content, `Simulated reply to: Hello LangChain via ${label}`, label);
      assert.ok((answer.usage_metadata?.output_tokens ?? 0) > 0, `${label}: usage`);
      assert.equal(stack.simulator.callCount(counter) - calls, 1, `${label}: served by its route`);
    }
  });

  it('stream yields the answer in several chunks', async () => {
    for (const { label, chat } of chatModels()) {
      const chunks: AIMessageChunk[] = [];
      for await (const chunk of await chat.stream(`Stream via ${label}`)) chunks.push(chunk);
      const text = chunks
        .map((chunk) =>
          typeof chunk.content === 'string'
            ? chunk.content
            : chunk.content.map((part) => ('text' in part ? String(part.text) : '')).join(''),
        )
        .join('');
      assert.equal(text, `Simulated reply to: Stream via ${label}`, label);
      assert.ok(chunks.filter((chunk) => chunk.content.length > 0).length > 1, `${label}: more than one text chunk`);
    }
  });

  it('bindTools: the model calls the tool with parsed arguments', async () => {
    for (const { label, chat } of chatModels()) {
      const answer = await chat.bindTools([weatherTool]).invoke('Weather in `Lyon`?');
      assert.deepEqual(
        answer.tool_calls?.map((call) => [call.name, call.args]),
        [['get_weather', { city: 'Lyon' }]],
        label,
      );
      assert.ok(answer.tool_calls?.[0]?.id, `${label}: the call has an id`);
    }
  });
});

for (const [mode, useResponses] of [
  ['chat-completions', false],
  ['responses', true],
] as const) {
  describe(`the OpenAI Agents SDK in ${mode} mode through the gateway, to every provider kind`, () => {
    setTracingDisabled(true);
    const getWeather = agentTool({
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => `sunny in ${city}`,
    });
    const runner = () =>
      new Runner({
        modelProvider: new OpenAIProvider({
          apiKey: stack.gatewayKey,
          baseURL: `${stack.gateway.url}/v1`,
          useResponses,
        }),
        tracingDisabled: true,
      });

    it('a run calls the function tool, sends its output back and ends with the answer (whole and streamed)', async () => {
      for (const { modelGroup, counter } of simulatorRoutes) {
        const agent = new Agent({
          name: 'weather',
          instructions: 'Answer with the weather tool.',
          model: modelGroup,
          tools: [getWeather],
        });
        const calls = stack.simulator.callCount(counter);
        const result = await runner().run(agent, 'Weather in `Lyon`?');
        assert.equal(result.finalOutput, 'Simulated answer using the tool result: sunny in Lyon', modelGroup);
        assert.deepEqual(
          result.newItems.map((item) => item.type),
          ['tool_call_item', 'tool_call_output_item', 'message_output_item'],
          modelGroup,
        );
        assert.equal(stack.simulator.callCount(counter) - calls, 2, `${modelGroup}: the tool call, then the answer`);
        // The ids say which gateway endpoint served the run: /v1/responses or /v1/chat/completions.
        assert.match(result.rawResponses[0]?.responseId ?? '', useResponses ? /^resp_/ : /^chatcmpl-/, modelGroup);

        const streamed = await runner().run(agent, 'Weather in `Oslo`?', { stream: true });
        const deltas: string[] = [];
        for await (const delta of streamed.toTextStream()) deltas.push(delta);
        await streamed.completed;
        assert.equal(deltas.join(''), 'Simulated answer using the tool result: sunny in Oslo', modelGroup);
        assert.equal(streamed.finalOutput, deltas.join(''));
      }
    });
  });
}
