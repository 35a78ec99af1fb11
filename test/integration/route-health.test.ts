import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { ProbeResult } from '../../src/activities/probe-activities';
import type { GatewayConfig } from '../../src/config/gateway-config-schema';
import { parseConfig } from '../../src/config/load-config';
import type { RunningSimulator } from '../../src/simulator/start-simulator';
import type { DecisionRecord } from '../../src/workflows/inference-types';
import { startTestStack, testProviderEnvironment, type TestStack } from '../helpers/test-gateway';

const cooldownMs = 2_000;
const hungTimeoutMs = 1_500;

/** A primary on OpenAI's wire and a fallback on Anthropic's, per scenario; every model name is unique. */
function healthConfig(simulator: RunningSimulator): GatewayConfig {
  const withFallback = (name: string, primaryProvider = 'openai') => ({
    name,
    deployments: [
      { provider: primaryProvider, model: `${name}-a`, account: 'primary', region: 'us' },
      { provider: 'anthropic', model: `${name}-b`, account: 'anthropic-main', region: 'us', priority: 1 },
    ],
  });
  return parseConfig({
    providers: [
      {
        id: 'openai',
        kind: 'openai',
        timeoutMs: 10_000,
        accounts: [
          {
            id: 'primary',
            apiKeyEnv: 'TEST_OPENAI_KEY',
            regions: [
              { id: 'us', baseUrl: simulator.openAIBaseUrl('us') },
              { id: 'eu', baseUrl: simulator.openAIBaseUrl('eu') },
            ],
          },
          // An account of its own for the credentials scenario: a cool-down sets the whole account aside.
          { id: 'spare', apiKeyEnv: 'TEST_SPARE_KEY', regions: [{ id: 'us', baseUrl: simulator.openAIBaseUrl('us') }] },
        ],
      },
      {
        id: 'slow-openai',
        kind: 'openai',
        timeoutMs: hungTimeoutMs,
        accounts: [
          {
            id: 'primary',
            apiKeyEnv: 'TEST_OPENAI_KEY',
            regions: [{ id: 'us', baseUrl: simulator.openAIBaseUrl('us') }],
          },
        ],
      },
      {
        id: 'anthropic',
        kind: 'anthropic',
        timeoutMs: 10_000,
        accounts: [
          {
            id: 'anthropic-main',
            apiKeyEnv: 'TEST_ANTHROPIC_KEY',
            regions: [{ id: 'us', baseUrl: simulator.anthropicBaseUrl('us') }],
          },
        ],
      },
    ],
    modelGroups: [
      withFallback('opens'),
      withFallback('hung', 'slow-openai'),
      withFallback('overloaded'),
      { name: 'alone', deployments: [{ provider: 'openai', model: 'alone-a', account: 'primary', region: 'us' }] },
      { name: 'badkey', deployments: [{ provider: 'openai', model: 'badkey-a', account: 'spare', region: 'us' }] },
      {
        name: 'spread',
        deployments: [
          { provider: 'openai', model: 'spread', account: 'primary', region: 'us' },
          { provider: 'openai', model: 'spread', account: 'primary', region: 'eu' },
        ],
      },
      withFallback('probed'),
    ],
    routing: { circuitBreaker: { failureThreshold: 3, cooldownMs }, probeIntervalSeconds: 0 },
  });
}

describe('route health: circuits, next-route rules, account errors, probes, weights', () => {
  let stack: TestStack;
  let admin: OpenAI;
  let tenant: OpenAI;

  before(async () => {
    stack = await startTestStack(healthConfig, { ...testProviderEnvironment, TEST_SPARE_KEY: 'spare' });
    admin = new OpenAI({ apiKey: stack.gatewayKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
    tenant = new OpenAI({ apiKey: stack.otherTenantKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
  });
  after(async () => stack?.stop());

  const ask = (model: string, client = admin) =>
    client.chat.completions
      .create({ model, messages: [{ role: 'user', content: `hello ${model}` }], max_tokens: 16 })
      .withResponse();
  const calls = (model: string, region = 'us', account = 'primary') =>
    stack.simulator.callCount(`openai/${account}/${region}/${model}`);
  const decisionOf = async (inferenceId: string, key = stack.gatewayKey): Promise<DecisionRecord> => {
    const response = await fetch(`${stack.gateway.url}/v1/inferences/${inferenceId}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    return ((await response.json()) as { decision: DecisionRecord }).decision;
  };

  it('makes no call to a route once a failure has opened its circuit, and one call per failed half-open trial', async () => {
    stack.simulator.setFaults([{ match: { model: 'opens-a' }, error: 'server_error' }]);
    const first = await ask('opens');
    assert.equal(first.response.headers.get('x-gateway-model'), 'opens-b');
    assert.equal(calls('opens-a'), 2, 'two failures (a same-route retry): the circuit is still closed');
    const second = await ask('opens');
    assert.equal(second.response.headers.get('x-gateway-model'), 'opens-b');
    assert.equal(calls('opens-a'), 3, 'the third failure opened the circuit: no same-route retry after it');
    await ask('opens');
    assert.equal(calls('opens-a'), 3, 'the open route is skipped');
    await delay(cooldownMs + 200);
    const trial = await ask('opens');
    assert.equal(trial.response.headers.get('x-gateway-model'), 'opens-b');
    assert.equal(calls('opens-a'), 4, 'the half-open trial is one call: its failure reopens the circuit');
    await ask('opens');
    assert.equal(calls('opens-a'), 4);
  });

  it('moves a timed-out attempt to the next route at once, never back to the hung route first', async () => {
    stack.simulator.setFaults([{ match: { model: 'hung-a' }, error: 'hang' }]);
    const started = Date.now();
    const { response } = await ask('hung');
    const elapsedMs = Date.now() - started;
    assert.equal(response.headers.get('x-gateway-model'), 'hung-b');
    assert.equal(calls('hung-a'), 1, 'one call to the hung route');
    assert.ok(elapsedMs < 2 * hungTimeoutMs, `the fallback answered after one timeout (${elapsedMs} ms), not two`);
  });

  it('moves an overloaded attempt to the next route, and retries the same route only when no other is eligible', async () => {
    stack.simulator.setFaults([
      { match: { model: 'overloaded-a' }, error: 'overloaded' },
      { match: { model: 'alone-a' }, error: 'overloaded', times: 1 },
    ]);
    const { response } = await ask('overloaded');
    assert.equal(response.headers.get('x-gateway-model'), 'overloaded-b');
    assert.equal(calls('overloaded-a'), 1, 'no same-route retry while another route is eligible');
    const alone = await ask('alone');
    assert.equal(alone.response.headers.get('x-gateway-attempts'), '2');
    assert.equal(calls('alone-a'), 2, 'a single route gets its same-route retry');
    const decision = await decisionOf(alone.response.headers.get('x-gateway-inference-id')!);
    assert.deepEqual(
      decision.attempts.map((attempt) => attempt.outcome),
      ['Overloaded', 'success'],
    );
  });

  it('never reports an account set aside for its credentials as a rate limit', async () => {
    stack.simulator.setFaults([{ match: { model: 'badkey-a' }, error: 'authentication' }]);
    for (const round of ['the failing call', 'the account cool-down after it']) {
      const error = await ask('badkey', tenant).then(
        () => assert.fail('should fail'),
        (thrown: unknown) => thrown,
      );
      assert.ok(error instanceof OpenAI.APIError);
      assert.equal(error.status, 503, round);
      assert.equal(error.code, 'all_routes_exhausted', round);
      assert.equal(error.headers?.get('retry-after'), null, `${round}: no Retry-After for a credentials problem`);
      if (round === 'the account cool-down after it') {
        assert.match(error.message, /account_unavailable: account set aside for \d+ s after Authentication error/);
        const decision = await decisionOf(error.headers!.get('x-gateway-inference-id')!, stack.otherTenantKey);
        assert.equal(decision.end, 'no_route');
        assert.match(decision.endDetail ?? '', /after Authentication error/);
      }
    }
    assert.equal(calls('badkey-a', 'us', 'spare'), 1, 'the cooled-down account is not called again');
  });

  it('shares traffic by weight between two regions of equal weight, whatever their latency averages', async () => {
    // eu answers 20 ms slower: under the weighted strategy (the default) that changes nothing.
    stack.simulator.setFaults([{ match: { model: 'spread', region: 'eu' }, latencyMs: 20 }]);
    for (let i = 0; i < 40; i++) await ask('spread');
    const us = calls('spread', 'us');
    const eu = calls('spread', 'eu');
    assert.equal(us + eu, 40);
    // Binomial(40, 1/2): fewer than 8 on one side happens with a probability of about 1e-4.
    assert.ok(us >= 8 && eu >= 8, `us ${us}, eu ${eu}`);
  });

  it('a probe never calls a route whose circuit is open; once the open period ends it is the half-open trial', async () => {
    stack.simulator.setFaults([{ match: { model: 'probed-a' }, error: 'server_error' }]);
    await ask('probed'); // two failures
    await ask('probed'); // the third opens the circuit
    assert.equal(calls('probed-a'), 3);
    const probe = async (): Promise<ProbeResult | undefined> => {
      const results: ProbeResult[] = await stack.gateway.client.workflow.execute('probeRoutes', {
        taskQueue: stack.gateway.taskQueue,
        workflowId: `probe-health-${Date.now()}`,
      });
      return results.find((result) => result.route === 'openai/primary/us/probed-a');
    };
    assert.deepEqual(await probe(), {
      route: 'openai/primary/us/probed-a',
      ok: false,
      latencyMs: 0,
      skipped: 'circuit_open',
    });
    assert.equal(
      calls('probed-a'),
      3,
      'no probe call while the circuit is open, so the open period is not pushed back',
    );
    await delay(cooldownMs + 200);
    stack.simulator.setFaults([]);
    const trial = await probe();
    assert.equal(trial?.ok, true, 'the probe took the half-open trial and it succeeded');
    assert.equal(calls('probed-a'), 4);
    const { response } = await ask('probed');
    assert.equal(
      response.headers.get('x-gateway-model'),
      'probed-a',
      'the successful probe closed the circuit for traffic',
    );
  });
});
