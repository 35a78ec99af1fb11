import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { generateGatewayKey, hashKey } from '../../src/api/admission/gateway-keys';
import { parseConfig } from '../../src/config/load-config';
import type { RunningSimulator } from '../../src/simulator/start-simulator';
import { budgetPeriods } from '../../src/state/budget-periods';
import type { DecisionRecord } from '../../src/workflows/inference-types';
import { simulatorConfig, startTestStack, type TestStack } from '../helpers/test-gateway';

const tenantKey = generateGatewayKey('gw');

/** Two routes for one group, and a tenant with a daily budget. */
function deferralConfig(simulator: RunningSimulator) {
  const base = simulatorConfig(simulator);
  return parseConfig({
    providers: base.providers,
    modelGroups: [
      {
        name: 'deferred',
        deployments: [
          { provider: 'openai', model: 'deferred-a', account: 'primary', region: 'us' },
          { provider: 'anthropic', model: 'deferred-b', account: 'anthropic-main', region: 'us', priority: 1 },
        ],
      },
      {
        name: 'priced',
        deployments: [
          {
            provider: 'openai',
            model: 'priced-model',
            account: 'primary',
            region: 'us',
            pricing: { inputPerMillion: 1_000, outputPerMillion: 1_000 },
          },
        ],
      },
    ],
    routing: { probeIntervalSeconds: 0, circuitBreaker: { failureThreshold: 10, cooldownMs: 60_000 } },
    // Two days, so that batch work may wait for the next budget day whatever the time of day.
    trafficClasses: { batch: { deadlineMs: 2 * 86_400_000 } },
    tenants: [{ id: 'deferring', keys: [{ id: 'deferring-key', sha256: hashKey(tenantKey) }] }],
    budgets: { deferring: { monthly: 1_000_000, daily: 1 } },
  });
}

describe('durable deferral of batch and background traffic', () => {
  let stack: TestStack;
  let openai: OpenAI;
  const outOfQuota = () =>
    stack.simulator.setFaults([
      // Both routes answer 429 with a 3 s Retry-After once: longer than the 2 s the chain waits on a route.
      { match: { model: 'deferred-a' }, error: 'rate_limited', retryAfterSeconds: 3, times: 1 },
      { match: { model: 'deferred-b' }, error: 'rate_limited', retryAfterSeconds: 3, times: 1 },
    ]);
  const inference = async (id: string): Promise<{ status: string; decision?: DecisionRecord }> => {
    const response = await fetch(`${stack.gateway.url}/v1/inferences/${id}`, {
      headers: { authorization: `Bearer ${tenantKey}` },
    });
    assert.equal(response.status, 200);
    return (await response.json()) as { status: string; decision?: DecisionRecord };
  };

  before(async () => {
    stack = await startTestStack(deferralConfig);
    openai = new OpenAI({ apiKey: tenantKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
  });
  after(async () => stack?.stop());

  it('fails standard traffic at once with 429 when every route is out of quota', async () => {
    outOfQuota();
    const error = await openai.chat.completions
      .create({ model: 'deferred', messages: [{ role: 'user', content: 'now' }] })
      .then(
        () => assert.fail('expected a refusal'),
        (caught: unknown) => caught,
      );
    assert.ok(error instanceof OpenAI.RateLimitError, String(error));
    assert.equal(error.code, 'rate_limited');
  });

  it('makes a batch inference wait on a timer until the quota returns, then serves it, with the wait in its decision record', async () => {
    // The routes' cool-downs from the previous test are over once this one's faults apply.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    outOfQuota();
    const calls = stack.simulator.callCount();
    const { data, response } = await openai.chat.completions
      .create(
        { model: 'deferred', messages: [{ role: 'user', content: 'later is fine' }] },
        { headers: { 'x-traffic-class': 'batch' } },
      )
      .withResponse();
    assert.equal(data.choices[0]?.message.content, 'Simulated reply to: later is fine');
    assert.equal(stack.simulator.callCount() - calls, 3, 'two 429s, then one call after the wait');
    const { decision } = await inference(response.headers.get('x-gateway-inference-id')!);
    assert.equal(decision?.waits?.length, 1);
    const [wait] = decision!.waits!;
    assert.equal(wait!.reason, 'quota');
    const waitedMs = Date.parse(wait!.until) - Date.parse(wait!.from);
    assert.ok(waitedMs >= 3_000 && waitedMs < 4_000, `waited ${waitedMs} ms for a 3 s Retry-After`);
    assert.deepEqual(
      decision!.attempts.map((attempt) => attempt.outcome),
      ['RateLimited', 'RateLimited', 'success'],
    );
  });

  it('ends a waiting inference as cancelled by the client when its synchronous caller disconnects', async () => {
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // earlier cool-downs end
    stack.simulator.setFaults([
      { match: { model: 'deferred-a' }, error: 'rate_limited', retryAfterSeconds: 30, times: 1 },
      { match: { model: 'deferred-b' }, error: 'rate_limited', retryAfterSeconds: 30, times: 1 },
    ]);
    const session = `deferral-cancel-${randomUUID()}`;
    const abort = new AbortController();
    const request = openai.chat.completions.create(
      { model: 'deferred', messages: [{ role: 'user', content: 'never mind' }] },
      { signal: abort.signal, headers: { 'x-traffic-class': 'batch', 'x-session-id': session } },
    );
    let id: string | undefined;
    for (let tries = 0; !id && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      for await (const execution of stack.gateway.client.workflow.list({ query: `GatewaySession = "${session}"` }))
        id = execution.workflowId;
    }
    assert.ok(id, 'the inference is listed');
    for (let tries = 0; !(await inference(id)).decision?.waits?.length && tries < 100; tries++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    abort.abort();
    await assert.rejects(request, (error: unknown) => error instanceof OpenAI.APIUserAbortError);
    await stack.gateway.client.workflow
      .getHandle(id)
      .result()
      .catch(() => undefined);
    const ended = (await inference(id)) as { status: string; decision?: DecisionRecord; error?: { code: string } };
    assert.equal(ended.status, 'failed');
    assert.equal(ended.error?.code, 'cancelled');
    assert.equal(ended.decision?.end, 'cancelled by client');
    assert.deepEqual(
      ended.decision?.waits?.map((wait) => wait.reason),
      ['quota'],
    );
  });

  it('admits batch work while the daily budget is spent and waits for the next budget day, visible while it waits', async () => {
    // The spend and the request must fall on the same UTC day: start clear of midnight.
    const toMidnight = 86_400_000 - (Date.now() % 86_400_000);
    if (toMidnight < 30_000) await new Promise((resolve) => setTimeout(resolve, toMidnight + 1_000));
    const now = Date.now();
    const periods = budgetPeriods(stack.config, 'deferring', now);
    await stack.store.settleSpend(periods, undefined, 1, now);
    const body: OpenAI.ChatCompletionCreateParamsNonStreaming = {
      model: 'priced',
      messages: [{ role: 'user', content: 'tomorrow' }],
    };

    const refused = await openai.chat.completions.create(body).then(
      () => assert.fail('expected a refusal'),
      (caught: unknown) => caught,
    );
    assert.ok(refused instanceof OpenAI.RateLimitError, String(refused));
    assert.equal(refused.code, 'budget_exceeded', 'standard traffic is refused, never deferred');

    const calls = stack.simulator.callCount();
    const accepted = await fetch(`${stack.gateway.url}/v1/inferences`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenantKey}`, 'content-type': 'application/json', 'x-traffic-class': 'batch' },
      body: JSON.stringify(body),
    });
    assert.equal(accepted.status, 202);
    const { id } = (await accepted.json()) as { id: string };
    let state = await inference(id);
    for (let tries = 0; !state.decision?.waits?.length && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = await inference(id);
    }
    assert.equal(state.status, 'running');
    const tomorrow = periods.find((period) => period.period === 'day')!.resetsAt;
    assert.equal(state.decision?.waits?.[0]?.reason, 'budget');
    const until = Date.parse(state.decision?.waits?.[0]?.until ?? '');
    assert.ok(
      until >= tomorrow && until <= tomorrow + 300_000,
      `waits until the next budget day, spread by at most 5 minutes: ${state.decision?.waits?.[0]?.until}`,
    );
    assert.match(state.decision?.waits?.[0]?.detail ?? '', /daily budget/);
    assert.equal(stack.simulator.callCount(), calls, 'no provider call while it waits');

    const handle = stack.gateway.client.workflow.getHandle(id);
    const history = await handle.fetchHistory();
    const timers = (history.events ?? []).filter((event) => event.timerStartedEventAttributes);
    assert.equal(timers.length, 1, 'the wait is a Temporal timer');
    await handle.terminate('test over');
  });
});
