import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { providerCalls } from '../helpers/history';
import { routingConfig, routingEnvironment as environment } from '../helpers/routing-scenarios';
import { startTestStack, type TestStack } from '../helpers/test-gateway';

describe('routing engine on a real Temporal server', () => {
  let stack: TestStack;
  let openai: OpenAI;

  before(async () => {
    stack = await startTestStack(routingConfig, environment);
    openai = new OpenAI({ apiKey: stack.gatewayKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
  });
  after(async () => stack?.stop());

  const ask = (model: string, trafficClass = 'standard') =>
    openai.chat.completions
      .create(
        { model, messages: [{ role: 'user', content: `hello ${model}` }], max_tokens: 16 },
        { headers: { 'x-traffic-class': trafficClass } },
      )
      .withResponse();

  async function distribution(model: string): Promise<Record<string, number>> {
    const results = await Promise.all(Array.from({ length: 10 }, () => ask(model)));
    const counts: Record<string, number> = {};
    for (const { response } of results) {
      const accountName = response.headers.get('x-gateway-account')!;
      counts[accountName] = (counts[accountName] ?? 0) + 1;
    }
    return counts;
  }

  it('quota overflow: 10 concurrent requests, a 3-RPM primary and a 25-RPM fallback give 3 + 7, all served', async () => {
    assert.deepEqual(await distribution('quota-one-primary'), { primary: 3, fallback: 7 });
    assert.equal(stack.simulator.callCount('openai/primary/us/quota-one-primary-model'), 3);
    assert.equal(stack.simulator.callCount('openai/fallback/us/quota-one-primary-model'), 7);
  });

  it('quota overflow: two 3-RPM primaries and a 25-RPM fallback give 3 + 3 + 4, all served', async () => {
    assert.deepEqual(await distribution('quota-two-primaries'), { primary: 3, 'primary-b': 3, fallback: 4 });
  });

  it('standard traffic falls back to the next route after a transient failure, visibly in the history', async () => {
    stack.simulator.setFaults([{ match: { model: 'standard-primary' }, error: 'server_error' }]);
    const { data, response } = await ask('standard');
    assert.equal(data.choices[0]?.message.content, 'Simulated reply to: hello standard');
    assert.equal(response.headers.get('x-gateway-provider'), 'anthropic');
    assert.equal(response.headers.get('x-gateway-model'), 'standard-peer');
    assert.equal(response.headers.get('x-gateway-fallback'), 'true');
    assert.equal(response.headers.get('x-gateway-attempts'), '3');
    assert.equal(stack.simulator.callCount('openai/primary/us/standard-primary'), 2, 'one retry on the same route');
    assert.equal(stack.simulator.callCount('anthropic/anthropic-main/us/standard-peer'), 1);
    const handle = stack.gateway.client.workflow.getHandle(response.headers.get('x-gateway-inference-id')!);
    const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    assert.equal(
      metadata.currentDetails,
      'standard → anthropic/standard-peer in us after 1 fallback',
      'the UI shows where it ended',
    );
    const events = (await handle.fetchHistory()).events ?? [];
    // Standard traffic calls as local activities: one event per call, the same-route retry included.
    assert.deepEqual(
      providerCalls(events).map((call) => call.summary),
      [
        'attempt 1: openai/standard-primary (primary, us)',
        'attempt 1: openai/standard-primary (primary, us) (call 2)',
        'attempt 2: anthropic/standard-peer (anthropic-main, us)',
      ],
    );
  });

  it('critical traffic never degrades below the requested quality and ends explicitly', async () => {
    stack.simulator.setFaults([
      { match: { model: 'critical-primary' }, error: 'server_error' },
      { match: { model: 'critical-peer' }, error: 'overloaded' },
    ]);
    const error = await ask('critical', 'critical').then(
      () => assert.fail('should fail'),
      (thrown: unknown) => thrown,
    );
    assert.ok(error instanceof OpenAI.APIError);
    assert.equal(error.status, 503);
    assert.equal(error.code, 'all_routes_exhausted');
    const attempts = (error.error as { attempts: Array<{ route: { model: string }; outcome: string }> }).attempts;
    // The overloaded peer is retried only once no other route is eligible (the server error used its retry).
    assert.deepEqual(
      attempts.map((attempt) => `${attempt.route.model}:${attempt.outcome}`),
      ['critical-primary:ServerError', 'critical-peer:Overloaded', 'critical-peer:Overloaded'],
    );
    assert.equal(
      stack.simulator.callCount('anthropic/anthropic-main/us/critical-cheap'),
      0,
      'the lower-quality group is never called',
    );
  });

  for (const trafficClass of ['background', 'batch'] as const) {
    it(`${trafficClass} traffic may fall back to a cheaper, lower-quality model`, async () => {
      stack.simulator.setFaults([
        { match: { model: `${trafficClass}-primary` }, error: 'server_error' },
        { match: { model: `${trafficClass}-peer` }, error: 'overloaded' },
      ]);
      const { response } = await ask(trafficClass, trafficClass);
      assert.equal(response.headers.get('x-gateway-model'), `${trafficClass}-cheap`);
    });
  }

  it('experiment traffic fails fast: one call, no retry, no fallback', async () => {
    stack.simulator.setFaults([{ match: { model: 'experiment-primary' }, error: 'server_error' }]);
    await assert.rejects(
      ask('experiment', 'experiment'),
      (error: unknown) => error instanceof OpenAI.APIError && error.status === 503,
    );
    assert.equal(stack.simulator.callCount('openai/primary/us/experiment-primary'), 1);
    assert.equal(stack.simulator.callCount('anthropic/anthropic-main/us/experiment-'), 0);
  });

  it('a deterministic error makes no extra provider call anywhere', async () => {
    stack.simulator.setFaults([{ match: { model: 'deterministic-primary' }, error: 'invalid_request' }]);
    await assert.rejects(
      ask('deterministic'),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.code === 'invalid_request',
    );
    assert.equal(stack.simulator.callCount('openai/primary/us/deterministic-primary'), 1);
    assert.equal(stack.simulator.callCount('anthropic/anthropic-main/us/deterministic-'), 0);
  });

  it('a route whose circuit is open gets no calls', async () => {
    stack.simulator.setFaults([{ match: { model: 'breaker-primary' }, error: 'server_error' }]);
    await ask('breaker'); // two transient failures open the circuit (threshold 2), the peer answers
    assert.equal(stack.simulator.callCount('openai/primary/us/breaker-primary'), 2);
    for (let i = 0; i < 3; i++) {
      const { response } = await ask('breaker');
      assert.equal(response.headers.get('x-gateway-model'), 'breaker-peer');
      assert.equal(response.headers.get('x-gateway-fallback'), 'false', 'the open route is skipped, not tried');
    }
    assert.equal(stack.simulator.callCount('openai/primary/us/breaker-primary'), 2, 'no call reached the open route');
  });

  it('moves on at once when a provider asks to wait long, and cools that route down', async () => {
    stack.simulator.setFaults([
      { match: { model: 'ratelimit-primary' }, error: 'rate_limited', retryAfterSeconds: 30 },
    ]);
    const first = await ask('ratelimit');
    assert.equal(first.response.headers.get('x-gateway-model'), 'ratelimit-peer');
    assert.equal(
      stack.simulator.callCount('openai/primary/us/ratelimit-primary'),
      1,
      'no same-route retry for a 30 s wait',
    );
    const second = await ask('ratelimit');
    assert.equal(second.response.headers.get('x-gateway-fallback'), 'false', 'the cooling route is skipped');
    assert.equal(stack.simulator.callCount('openai/primary/us/ratelimit-primary'), 1);
  });

  it('rejects an unknown traffic class', async () => {
    await assert.rejects(
      ask('standard', 'urgent'),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.code === 'invalid_traffic_class',
    );
  });
});
