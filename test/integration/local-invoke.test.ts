import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { DecisionRecord } from '../../src/workflows/inference-types';
import { providerCalls, workflowTaskCount } from '../helpers/history';
import { simulatorConfig, startTestStack, type TestStack } from '../helpers/test-gateway';

const counter = 'openai/primary/us/sim-gpt';

// Standard traffic calls its provider as a local activity: what the activity version guaranteed
// must hold here too, on a real Temporal server.
describe('provider calls as local activities', () => {
  let stack: TestStack;
  let openai: OpenAI;

  before(async () => {
    stack = await startTestStack((simulator) => {
      const config = simulatorConfig(simulator);
      // Long enough for the 90 s call below.
      for (const provider of config.providers) provider.timeoutMs = 120_000;
      return config;
    });
    openai = new OpenAI({
      apiKey: stack.gatewayKey,
      baseURL: `${stack.gateway.url}/v1`,
      maxRetries: 0,
      timeout: 180_000,
    });
  });
  after(async () => stack?.stop());

  const historyOf = async (inferenceId: string) =>
    (await stack.gateway.client.workflow.getHandle(inferenceId).fetchHistory()).events ?? [];

  it("retries on the same route after the provider's Retry-After, on a Temporal timer", async () => {
    const before = stack.simulator.callCount(counter);
    stack.simulator.setFaults([{ match: { model: 'sim-gpt' }, error: 'rate_limited', retryAfterSeconds: 1, times: 1 }]);
    const started = Date.now();
    const { data, response } = await openai.chat.completions
      .create({ model: 'chat-default', messages: [{ role: 'user', content: 'wait for me' }] })
      .withResponse();
    const elapsedMs = Date.now() - started;
    stack.simulator.setFaults([]);
    assert.equal(data.choices[0]?.message.content, 'Simulated reply to: wait for me');
    assert.equal(stack.simulator.callCount(counter), before + 2, 'the 429, then the call that served');
    assert.equal(response.headers.get('x-gateway-fallback'), 'false');
    assert.ok(elapsedMs >= 1_000, `the retry waited for Retry-After (took ${elapsedMs} ms)`);

    const events = await historyOf(response.headers.get('x-gateway-inference-id')!);
    const timers = events.filter((event) => event.timerStartedEventAttributes);
    assert.equal(timers.length, 1);
    assert.equal(
      Number(timers[0]?.timerStartedEventAttributes?.startToFireTimeout?.seconds),
      1,
      'the timer is the provider hint',
    );
    assert.deepEqual(
      providerCalls(events).map((call) => `${call.kind} ${String(call.summary)}`),
      ['local attempt 1: openai/sim-gpt (primary, us)', 'local attempt 1: openai/sim-gpt (primary, us) (call 2)'],
    );
    const record = (await (
      await fetch(`${stack.gateway.url}/v1/inferences/${response.headers.get('x-gateway-inference-id')}`, {
        headers: { authorization: `Bearer ${stack.gatewayKey}` },
      })
    ).json()) as { decision: DecisionRecord };
    assert.deepEqual(
      record.decision.attempts.map((attempt) => [attempt.outcome, attempt.calls]),
      [['success', 2]],
      'one route attempt of two calls',
    );
  });

  it('makes no same-route retry when the Retry-After is longer than the same-route limit', async () => {
    // Another group's route: this one stays cooled down for the hint's 30 s.
    const claude = 'anthropic/anthropic-main/us/claude-sim';
    const before = stack.simulator.callCount(claude);
    stack.simulator.setFaults([
      { match: { model: 'claude-sim' }, error: 'rate_limited', retryAfterSeconds: 30, times: 1 },
    ]);
    const failure = await openai.chat.completions
      .create({ model: 'claude', messages: [{ role: 'user', content: 'no waiting' }] })
      .catch((error: unknown) => error);
    stack.simulator.setFaults([]);
    assert.ok(failure instanceof OpenAI.APIError && failure.status === 429, `got ${String(failure)}`);
    assert.equal(failure.headers?.get('retry-after'), '30');
    assert.equal(stack.simulator.callCount(claude), before + 1, 'no same-route retry');

    // While the route cools down it is skipped without a call: the refusal still says when it
    // serves again, read from the route state, not one second.
    const cooling = await openai.chat.completions
      .create({ model: 'claude', messages: [{ role: 'user', content: 'still cooling' }] })
      .catch((error: unknown) => error);
    assert.ok(cooling instanceof OpenAI.APIError && cooling.status === 429, `got ${String(cooling)}`);
    const retryAfter = Number(cooling.headers?.get('retry-after'));
    assert.ok(
      retryAfter >= 25 && retryAfter <= 30,
      `Retry-After ${retryAfter} s is what is left of the 30 s cool-down`,
    );
    assert.equal(stack.simulator.callCount(claude), before + 1, 'the cooling route is not called');
    const events = await historyOf(cooling.headers!.get('x-gateway-inference-id')!);
    assert.ok(
      events.some((event) => event.markerRecordedEventAttributes?.markerName === 'core_patch'),
      'the change is behind its patch marker',
    );
  });

  it('completes a provider call that outlives the workflow task timeout, with one call', async () => {
    // 90 s: nine times the workflow task timeout (10 s); the SDK keeps the task alive meanwhile.
    const before = stack.simulator.callCount(counter);
    stack.simulator.setFaults([{ match: { model: 'sim-gpt' }, latencyMs: 90_000 }]);
    const { data, response } = await openai.chat.completions
      .create({ model: 'chat-default', messages: [{ role: 'user', content: 'think long' }] })
      .withResponse();
    stack.simulator.setFaults([]);
    assert.equal(data.choices[0]?.message.content, 'Simulated reply to: think long');
    assert.equal(stack.simulator.callCount(counter), before + 1, 'exactly one provider call');
    const events = await historyOf(response.headers.get('x-gateway-inference-id')!);
    assert.deepEqual(
      providerCalls(events).map((call) => call.kind),
      ['local'],
    );
    assert.ok(
      workflowTaskCount(events) >= 5,
      `the workflow task was kept alive by heartbeats (${workflowTaskCount(events)} tasks)`,
    );
    assert.ok(
      !events.some((event) => event.workflowTaskTimedOutEventAttributes || event.workflowTaskFailedEventAttributes),
      'no workflow task timed out or failed',
    );
  });
});
