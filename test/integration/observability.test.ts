import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { createLogger } from '../../src/observability/logger';
import { simulatorConfig, startTestStack, testProviderEnvironment, type TestStack } from '../helpers/test-gateway';

describe('metrics and structured logs', () => {
  let stack: TestStack;
  let openai: OpenAI;
  const lines: string[] = [];

  before(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...chunk.toString().trim().split('\n'));
        done();
      },
    });
    stack = await startTestStack(simulatorConfig, testProviderEnvironment, createLogger(sink, 'info'));
    openai = new OpenAI({ apiKey: stack.gatewayKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
  });
  after(async () => stack?.stop());

  it('serves Prometheus metrics for requests, attempts, tokens, errors and route state', async () => {
    await openai.chat.completions.create({ model: 'chat-default', messages: [{ role: 'user', content: 'count me' }] });
    stack.simulator.setFaults([{ match: { provider: 'anthropic' }, error: 'invalid_request' }]);
    await assert.rejects(
      openai.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'fail' }] }),
    );
    const response = await fetch(`${stack.gateway.url}/metrics`);
    assert.equal(response.status, 200);
    const text = await response.text();
    const value = (line: RegExp) =>
      Number(
        text
          .split('\n')
          .find((candidate) => line.test(candidate))
          ?.split(' ')
          .at(-1),
      );
    assert.ok(value(/^gateway_attempts_total\{provider="openai",model="sim-gpt",region="us",result="ok"\}/) >= 1);
    assert.ok(
      value(/^gateway_attempts_total\{provider="anthropic",model="claude-sim",region="us",result="InvalidRequest"\}/) >=
        1,
    );
    assert.ok(
      value(/^gateway_inferences_total\{model_group="chat-default",traffic_class="standard",outcome="success"\}/) >= 1,
    );
    assert.ok(
      value(/^gateway_inferences_total\{model_group="claude",traffic_class="standard",outcome="InvalidRequest"\}/) >= 1,
    );
    assert.ok(value(/^gateway_tokens_total\{provider="openai",model="sim-gpt",kind="completion"\}/) > 0);
    assert.ok(
      value(/^gateway_cost_total\{provider="openai",model="sim-gpt",tenant="tenant-test"\}/) > 0,
      'cost from the deployment pricing',
    );
    assert.equal(value(/^gateway_route_circuit_state\{route="openai\/primary\/us\/sim-gpt"\}/), 0);
    assert.match(text, /gateway_attempt_latency_seconds_bucket/);
  });

  it('logs each inference as JSON with its id, and never the prompt or a key', async () => {
    const secretPrompt = 'my private prompt 4242';
    const { response } = await openai.chat.completions
      .create({ model: 'chat-default', messages: [{ role: 'user', content: secretPrompt }] })
      .withResponse();
    const id = response.headers.get('x-gateway-inference-id');
    const line = lines
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find((entry) => entry.inferenceId === id);
    assert.ok(line, 'a log line carries the inference id');
    assert.equal(line.msg, 'inference finished');
    assert.equal(line.outcome, 'success');
    const all = lines.join('\n');
    for (const secret of [secretPrompt, stack.gatewayKey, testProviderEnvironment.TEST_BEDROCK_SECRET_ACCESS_KEY]) {
      assert.ok(!all.includes(secret), `logs must not contain ${secret.slice(0, 6)}…`);
    }
  });
});
