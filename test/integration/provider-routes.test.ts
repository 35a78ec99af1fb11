import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { FaultKind } from '../../src/simulator/simulator-faults';
import { simulatorRoutes, startTestStack, weatherTool, type TestStack } from '../helpers/test-gateway';

const routes = simulatorRoutes;

describe('every provider kind through the inference workflow', () => {
  let stack: TestStack;
  let openai: OpenAI;

  before(async () => {
    stack = await startTestStack();
    openai = new OpenAI({ apiKey: stack.gatewayKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
  });
  after(async () => stack?.stop());
  beforeEach(() => {
    stack.simulator.setFaults([]);
    stack.simulator.calls.clear();
  });

  for (const route of routes) {
    it(`${route.modelGroup} → ${route.provider}: a completion in the OpenAI shape`, async () => {
      const { data, response } = await openai.chat.completions
        .create({
          model: route.modelGroup,
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: `hello ${route.provider}` },
          ],
          max_tokens: 64,
        })
        .withResponse();
      assert.equal(data.choices[0]?.message.content, `Simulated reply to: hello ${route.provider}`);
      assert.equal(data.choices[0]?.finish_reason, 'stop');
      assert.equal(data.model, route.modelGroup);
      assert.ok((data.usage?.prompt_tokens ?? 0) > 0 && (data.usage?.completion_tokens ?? 0) > 0);
      assert.equal(response.headers.get('x-gateway-provider'), route.provider);
      assert.equal(stack.simulator.callCount(route.counter), 1);
    });

    it(`${route.modelGroup} → ${route.provider}: a tool call and its result, round trip`, async () => {
      const messages: OpenAI.ChatCompletionMessageParam[] = [
        { role: 'user', content: 'What is the weather in Paris?' },
      ];
      const first = await openai.chat.completions.create({
        model: route.modelGroup,
        messages,
        tools: [weatherTool],
        tool_choice: 'auto',
      });
      const choice = first.choices[0]!;
      assert.equal(choice.finish_reason, 'tool_calls');
      const [toolCall] = choice.message.tool_calls ?? [];
      assert.ok(toolCall && toolCall.type === 'function');
      assert.equal(toolCall.function.name, 'get_weather');
      assert.deepEqual(JSON.parse(toolCall.function.arguments), { city: 'sample city' });

      messages.push(choice.message as OpenAI.ChatCompletionMessageParam);
      messages.push({ role: 'tool', tool_call_id: toolCall.id, content: '18°C and sunny' });
      const second = await openai.chat.completions.create({ model: route.modelGroup, messages, tools: [weatherTool] });
      assert.equal(second.choices[0]?.finish_reason, 'stop');
      assert.equal(second.choices[0]?.message.content, 'Simulated answer using the tool result: 18°C and sunny');
    });
  }

  it('retries a transient error once on the same route, then succeeds', async () => {
    stack.simulator.setFaults([{ match: { provider: 'anthropic' }, error: 'server_error', times: 1 }]);
    const { data, response } = await openai.chat.completions
      .create({ model: 'claude', messages: [{ role: 'user', content: 'again' }] })
      .withResponse();
    assert.equal(data.choices[0]?.message.content, 'Simulated reply to: again');
    assert.equal(response.headers.get('x-gateway-attempts'), '2');
    assert.equal(stack.simulator.callCount('anthropic/'), 2);
  });

  // The simulator's counters prove each class is retried exactly as classified: deterministic
  // errors reach the provider once and fail fast; transient ones twice (one retry on the same
  // route), after which this single-route group's chain ends explicitly. A group that is merely
  // rate-limited answers 429 rate_limited; an account whose billing quota is exhausted is not a
  // rate limit (it does not lift by itself): 503, the routes are unavailable.
  type SimulatedProviderName = 'openai' | 'anthropic' | 'bedrock';
  const retryCase = (
    provider: SimulatedProviderName,
    fault: FaultKind,
    expectedCalls: number,
    status: number,
    code: string,
  ) => ({ provider, fault, expectedCalls, status, code });
  const retryCases = [
    ...(['openai', 'anthropic', 'bedrock'] as const).flatMap((provider) => [
      retryCase(provider, 'invalid_request', 1, 400, 'invalid_request'),
      retryCase(provider, 'server_error', 2, 503, 'all_routes_exhausted'),
    ]),
    retryCase('openai', 'quota_exhausted', 1, 503, 'all_routes_exhausted'),
    retryCase('bedrock', 'quota_exhausted', 1, 503, 'all_routes_exhausted'),
    retryCase('anthropic', 'rate_limited', 2, 429, 'rate_limited'),
  ];
  const modelGroupOf = { openai: 'chat-default', anthropic: 'claude', bedrock: 'nova' } as const;

  for (const { provider, fault, expectedCalls, status, code } of retryCases) {
    it(`${provider} ${fault}: ${expectedCalls} provider call(s), then ${status} ${code}`, async () => {
      stack.simulator.setFaults([{ match: { provider }, error: fault, retryAfterSeconds: 0 }]);
      await assert.rejects(
        openai.chat.completions.create({
          model: modelGroupOf[provider],
          messages: [{ role: 'user', content: 'fail please' }],
        }),
        (error: unknown) => error instanceof OpenAI.APIError && error.status === status && error.code === code,
      );
      assert.equal(stack.simulator.callCount(`${provider}/`), expectedCalls);
    });
  }
});
