import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import { parseConfig } from '../../src/config/load-config';
import type { RunningSimulator } from '../../src/simulator/start-simulator';
import { providerCalls } from '../helpers/history';
import { simulatorConfig, simulatorRoutes, useTestStack, weatherTool } from '../helpers/test-gateway';

const routes = simulatorRoutes;

/** The simulator's groups plus one whose OpenAI route falls back to an Anthropic one. */
function streamingConfig(simulator: RunningSimulator) {
  const base = simulatorConfig(simulator);
  return parseConfig({
    ...base,
    modelGroups: [
      ...base.modelGroups,
      {
        name: 'failover',
        deployments: [
          { provider: 'openai', model: 'flaky-gpt', account: 'primary', region: 'us', priority: 0 },
          { provider: 'anthropic', model: 'steady-claude', account: 'anthropic-main', region: 'us', priority: 1 },
        ],
      },
    ],
  });
}

interface Collected {
  text: string;
  finishReason: string | null;
  usage?: OpenAI.CompletionUsage | null;
  usageChunkChoices?: number;
  roles: string[];
  toolCalls: Array<{ id?: string; name?: string; arguments: string }>;
  chunkCount: number;
}

async function collect(
  stream: AsyncIterable<OpenAI.ChatCompletionChunk>,
  into: Collected = { text: '', finishReason: null, roles: [], toolCalls: [], chunkCount: 0 },
): Promise<Collected> {
  for await (const chunk of stream) {
    into.chunkCount += 1;
    assert.equal(chunk.object, 'chat.completion.chunk');
    if (chunk.usage) {
      into.usage = chunk.usage;
      into.usageChunkChoices = chunk.choices.length;
    }
    const choice = chunk.choices[0];
    if (!choice) continue;
    if (choice.delta.role) into.roles.push(choice.delta.role);
    into.text += choice.delta.content ?? '';
    for (const call of choice.delta.tool_calls ?? []) {
      const entry = (into.toolCalls[call.index] ??= { arguments: '' });
      if (call.id) entry.id = call.id;
      if (call.function?.name) entry.name = call.function.name;
      entry.arguments += call.function?.arguments ?? '';
    }
    if (choice.finish_reason) into.finishReason = choice.finish_reason;
  }
  return into;
}

describe('SSE streaming of /v1/chat/completions through a real Temporal server', () => {
  const record = async (id: string) => {
    // A stream ends as soon as its last token is out, a moment before the workflow records it.
    await suite.stack.gateway.client.workflow
      .getHandle(id)
      .result()
      .catch(() => undefined);
    const answer = await fetch(`${suite.stack.gateway.url}/v1/inferences/${id}`, {
      headers: { authorization: `Bearer ${suite.stack.gatewayKey}` },
    });
    assert.equal(answer.status, 200);
    return (await answer.json()) as {
      status: string;
      error?: { code: string };
      decision: {
        attempts: Array<{
          route: { provider: string; model: string };
          outcome: string;
          calls: number;
          ttftMs?: number;
          latencyMs?: number;
        }>;
      };
      result?: { choices: Array<{ message: { content: string | null } }> };
    };
  };

  const suite = useTestStack(streamingConfig);

  for (const route of routes) {
    it(`${route.modelGroup} → ${route.provider}: the OpenAI SDK streams the full text, a finish reason and usage`, async () => {
      const { data: stream, response } = await suite.openai.chat.completions
        .create({
          model: route.modelGroup,
          messages: [{ role: 'user', content: `stream from ${route.provider} please` }],
          stream: true,
          stream_options: { include_usage: true },
        })
        .withResponse();
      assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.equal(response.headers.get('x-gateway-provider'), route.provider);
      const collected = await collect(stream);
      assert.equal(collected.text, `Simulated reply to: stream from ${route.provider} please`);
      assert.deepEqual(collected.roles, ['assistant'], 'one role delta, first');
      assert.ok(collected.chunkCount > 4, 'the text arrived in several chunks');
      assert.equal(collected.finishReason, 'stop');
      assert.equal(collected.usageChunkChoices, 0, 'the usage chunk has no choices');
      assert.ok((collected.usage?.prompt_tokens ?? 0) > 0 && (collected.usage?.completion_tokens ?? 0) > 0);
      assert.equal(
        collected.usage?.total_tokens,
        (collected.usage?.prompt_tokens ?? 0) + (collected.usage?.completion_tokens ?? 0),
      );
      assert.equal(suite.stack.simulator.callCount(route.counter), 1);

      const inferenceId = response.headers.get('x-gateway-inference-id')!;
      const handle = suite.stack.gateway.client.workflow.getHandle(inferenceId);
      await handle.result();
      const events = (await handle.fetchHistory()).events ?? [];
      assert.deepEqual(
        providerCalls(events).map((call) => call.type),
        ['invokeRouteStream'],
      );
      const history = JSON.stringify(events);
      assert.ok(
        !history.includes('"text_delta"') && !history.includes('chat.completion.chunk'),
        'no stream chunk travels through history',
      );
      const audit = await record(inferenceId);
      assert.equal(
        audit.result?.choices[0]?.message.content,
        collected.text,
        'the workflow keeps the assembled answer',
      );
      assert.equal(typeof audit.decision.attempts[0]?.ttftMs, 'number', 'time to first token is in the attempt record');
    });

    it(`${route.modelGroup} → ${route.provider}: tool-call deltas arrive in OpenAI's shape`, async () => {
      const stream = await suite.openai.chat.completions.create({
        model: route.modelGroup,
        messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
        tools: [weatherTool],
        stream: true,
      });
      const collected = await collect(stream);
      assert.equal(collected.finishReason, 'tool_calls');
      assert.equal(collected.toolCalls.length, 1);
      const [call] = collected.toolCalls;
      assert.equal(call?.name, 'get_weather');
      assert.ok(call?.id, 'the call has an id');
      assert.deepEqual(JSON.parse(call!.arguments), { city: 'sample city' });
      assert.equal(collected.usage, undefined, 'no usage chunk unless asked for');
    });
  }

  it('a failover before the first token is invisible: one clean stream, and the record shows the fallback', async () => {
    suite.stack.simulator.setFaults([{ match: { model: 'flaky-gpt' }, error: 'server_error' }]);
    const { data: stream, response } = await suite.openai.chat.completions
      .create({
        model: 'failover',
        messages: [{ role: 'user', content: 'survive this' }],
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    const collected = await collect(stream);
    assert.equal(collected.text, 'Simulated reply to: survive this');
    assert.equal(collected.finishReason, 'stop');
    assert.deepEqual(collected.roles, ['assistant']);
    assert.equal(response.headers.get('x-gateway-provider'), 'anthropic');
    assert.equal(response.headers.get('x-gateway-fallback'), 'true');
    assert.equal(
      response.headers.get('x-gateway-attempts'),
      '3',
      'two calls to the failing route, one to the fallback',
    );
    assert.equal(suite.stack.simulator.callCount('openai/primary/us/flaky-gpt'), 2);

    const audit = await record(response.headers.get('x-gateway-inference-id')!);
    assert.equal(audit.status, 'completed');
    assert.deepEqual(
      audit.decision.attempts.map((attempt) => `${attempt.route.model}:${attempt.outcome}`),
      ['flaky-gpt:ServerError', 'steady-claude:success'],
    );
  });

  for (const { modelGroup, provider } of [routes[0], routes[1], routes[2]]) {
    it(`${modelGroup} → ${provider}: an upstream failure after the first byte ends the stream with an error, not a clean end`, async () => {
      suite.stack.simulator.setFaults([{ match: { provider }, error: 'stream_interrupted' }]);
      const { data: stream, response } = await suite.openai.chat.completions
        .create({
          model: modelGroup,
          messages: [{ role: 'user', content: 'a long answer that will break halfway' }],
          stream: true,
          stream_options: { include_usage: true },
        })
        .withResponse();
      const collected: Collected = { text: '', finishReason: null, roles: [], toolCalls: [], chunkCount: 0 };
      await assert.rejects(
        collect(stream, collected),
        (error: unknown) => error instanceof OpenAI.APIError && /interrupted|broke/i.test(error.message),
      );
      assert.ok(collected.text.length > 0, 'part of the answer had arrived');
      assert.ok('Simulated reply to: a long answer that will break halfway'.startsWith(collected.text));
      assert.equal(collected.finishReason, null, 'no finish reason hides the truncation');
      assert.equal(collected.usage, undefined);
      assert.equal(suite.stack.simulator.callCount(`${provider}/`), 1, 'no retry once content went out');

      const audit = await record(response.headers.get('x-gateway-inference-id')!);
      assert.equal(audit.status, 'failed');
      assert.equal(audit.error?.code, 'stream_interrupted');
      assert.deepEqual(
        audit.decision.attempts.map((attempt) => attempt.outcome),
        ['StreamInterrupted'],
      );
      assert.equal(typeof audit.decision.attempts[0]?.ttftMs, 'number');
    });
  }

  it('records the time to first token in the attempt and in the ttft histogram', async () => {
    suite.stack.simulator.setFaults([{ match: { provider: 'anthropic' }, timeToFirstTokenMs: 300 }]);
    const { data: stream, response } = await suite.openai.chat.completions
      .create({ model: 'claude', messages: [{ role: 'user', content: 'slow start' }], stream: true })
      .withResponse();
    await collect(stream);
    const [attempt] = (await record(response.headers.get('x-gateway-inference-id')!)).decision.attempts;
    assert.ok((attempt?.ttftMs ?? 0) >= 300, `ttft ${attempt?.ttftMs} ms includes the 300 ms before the first token`);
    assert.ok((attempt?.latencyMs ?? 0) >= (attempt?.ttftMs ?? 0));
    const metrics = await (await fetch(`${suite.stack.gateway.url}/metrics`)).text();
    assert.match(
      metrics,
      /gateway_attempt_ttft_seconds_count\{provider="anthropic",model="claude-sim",region="us"\} [1-9]/,
    );
  });

  it('answers a failure before the first token with an ordinary HTTP error', async () => {
    suite.stack.simulator.setFaults([{ match: { provider: 'openai' }, error: 'invalid_request' }]);
    await assert.rejects(
      suite.openai.chat.completions.create({
        model: 'chat-default',
        messages: [{ role: 'user', content: 'bad' }],
        stream: true,
      }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.code === 'invalid_request',
    );
  });
});
