import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GatewayConfig } from '../../src/config/gateway-config-schema';
import { parseConfig } from '../../src/config/load-config';
import {
  attemptSpanAttributes as attribute,
  stepSpanAttributes,
  traceIdHeader,
} from '../../src/observability/span-attributes';
import { startTracing, type GatewayTracing } from '../../src/observability/tracing';
import type { RunningSimulator } from '../../src/simulator/start-simulator';
import type { DecisionRecord } from '../../src/workflows/inference-types';
import { simulatorConfig, startTestStack, testProviderEnvironment, type TestStack } from '../helpers/test-gateway';

/** chat-default on OpenAI first, Anthropic second: a fault on OpenAI makes every inference fail over once. */
function failoverConfig(simulator: RunningSimulator): GatewayConfig {
  const base = simulatorConfig(simulator);
  return parseConfig({
    ...base,
    modelGroups: [
      {
        name: 'chat-default',
        deployments: [
          { provider: 'openai', model: 'sim-gpt', account: 'primary', region: 'us', priority: 0 },
          { provider: 'anthropic', model: 'claude-sim', account: 'anthropic-main', region: 'us', priority: 1 },
        ],
      },
    ],
  });
}

describe('OpenTelemetry traces of inferences', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: GatewayTracing;
  let stack: TestStack;

  before(async () => {
    tracing = startTracing({}, new SimpleSpanProcessor(exporter))!;
    stack = await startTestStack(
      failoverConfig,
      testProviderEnvironment,
      undefined,
      undefined,
      undefined,
      {},
      undefined,
      tracing,
    );
  });
  after(async () => {
    await stack?.stop();
    await tracing?.shutdown();
  });

  /** Sends one chat completion that fails over, and returns its trace's spans once the request's span has ended. */
  async function traceOneFailover(headers: Record<string, string> = {}) {
    stack.simulator.setFaults([{ match: { provider: 'openai' }, error: 'overloaded' }]);
    const response = await fetch(`${stack.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.gatewayKey}`, 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ model: 'chat-default', messages: [{ role: 'user', content: 'trace me' }] }),
    });
    stack.simulator.setFaults([]);
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(response.headers.get('x-gateway-fallback'), 'true');
    const traceId = response.headers.get(traceIdHeader);
    assert.match(traceId ?? '', /^[0-9a-f]{32}$/, 'the response names its trace');
    const inferenceId = response.headers.get('x-gateway-inference-id')!;
    const record = await fetch(`${stack.gateway.url}/v1/inferences/${inferenceId}`, {
      headers: { authorization: `Bearer ${stack.gatewayKey}` },
    });
    const { decision } = (await record.json()) as { decision: DecisionRecord };
    let spans: ReadableSpan[] = [];
    for (let wait = 0; wait < 50; wait++) {
      spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
      if (spans.some((span) => span.name === 'POST /v1/chat/completions')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return { traceId: traceId!, decision, spans };
  }

  /** Whether `span` lies below `ancestor` in `spans`. */
  const descends = (spans: ReadableSpan[], span: ReadableSpan, ancestor: ReadableSpan): boolean => {
    const byId = new Map(spans.map((item) => [item.spanContext().spanId, item]));
    for (let parent = span.parentSpanId; parent; parent = byId.get(parent)?.parentSpanId) {
      if (parent === ancestor.spanContext().spanId) return true;
    }
    return false;
  };

  it('makes one trace of a failed-over inference: request, workflow, the four selection steps and both attempts', async () => {
    const { traceId, decision, spans } = await traceOneFailover();
    assert.equal(decision.traceId, traceId, 'the decision record carries the trace id');

    const request = spans.find((span) => span.name === 'POST /v1/chat/completions');
    assert.ok(request, `an HTTP span, among ${spans.map((span) => span.name).join(', ')}`);
    assert.equal(request.parentSpanId, undefined, 'the HTTP request is the root');
    assert.equal(request.attributes['http.response.status_code'], 200);
    assert.deepEqual(
      spans.filter((span) => !span.parentSpanId),
      [request],
      'nothing else is a root',
    );

    const workflow = spans.find((span) => span.name === 'RunWorkflow:inferenceV2');
    assert.ok(workflow && descends(spans, workflow, request), 'the workflow runs below the request');
    const start = spans.find((span) => span.name === 'StartWorkflow:inferenceV2');
    assert.ok(
      start && descends(spans, workflow, start) && descends(spans, start, request),
      'request → workflow start → workflow run',
    );

    // Each step ran once per route chosen: twice, since the first route failed.
    for (const step of ['selectProvider', 'selectModel', 'selectAccount', 'selectRegion']) {
      const runs = spans.filter((span) => span.name === `RunActivity:${step}`);
      assert.equal(runs.length, 2, `${step} ran in two rounds`);
      for (const run of runs) assert.ok(descends(spans, run, workflow), `${step} runs below the workflow`);
    }
    const providerChoices = spans
      .filter((span) => span.name === 'RunActivity:selectProvider')
      .map((span) => span.attributes[stepSpanAttributes.choice])
      .sort();
    assert.deepEqual(providerChoices, ['anthropic', 'openai'], 'each step span names its choice');

    const attempts = spans
      .filter((span) => span.name === 'RunActivity:invokeRoute')
      .sort((left, right) => left.startTime[0] - right.startTime[0] || left.startTime[1] - right.startTime[1]);
    assert.equal(attempts.length, 2, 'two attempts');
    for (const attempt of attempts)
      assert.ok(descends(spans, attempt, workflow), 'each attempt runs below the workflow');
    const [failed, served] = attempts as [ReadableSpan, ReadableSpan];
    assert.equal(failed.attributes[attribute.provider], 'openai');
    assert.equal(failed.attributes[attribute.errorType], 'Overloaded');
    assert.equal(failed.status.code, 2, 'the failed attempt is an error span');
    assert.deepEqual(
      [attribute.provider, attribute.model, attribute.account, attribute.region].map((name) => served.attributes[name]),
      ['anthropic', 'claude-sim', 'anthropic-main', 'us'],
    );
    assert.ok(
      Number(served.attributes[attribute.promptTokens]) > 0 &&
        Number(served.attributes[attribute.completionTokens]) > 0,
      'tokens of the served attempt',
    );
    assert.equal(served.attributes[attribute.errorType], undefined);
    assert.equal(
      decision.attempts[1]?.tokens?.prompt,
      served.attributes[attribute.promptTokens],
      'the span and the decision record agree',
    );
  });

  it('traces attempts made as activities, and continues a trace the caller started', async () => {
    const callerTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const { traceId, decision, spans } = await traceOneFailover({
      'x-traffic-class': 'background',
      traceparent: `00-${callerTrace}-00f067aa0ba902b7-01`,
    });
    assert.equal(decision.trafficClass, 'background', 'a class whose attempts are activities');
    assert.equal(traceId, callerTrace);
    assert.equal(decision.traceId, callerTrace);
    const request = spans.find((span) => span.name === 'POST /v1/chat/completions');
    assert.equal(request?.parentSpanId, '00f067aa0ba902b7', "the request's span is a child of the caller's");
    const attempts = spans.filter((span) => span.name === 'RunActivity:invokeRoute');
    assert.deepEqual(attempts.map((span) => span.attributes[attribute.provider]).sort(), ['anthropic', 'openai']);
    const workflow = spans.find((span) => span.name === 'RunWorkflow:inferenceV2')!;
    for (const attempt of attempts) assert.ok(descends(spans, attempt, workflow));
  });
});
