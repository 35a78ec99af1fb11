import Anthropic from '@anthropic-ai/sdk';
import { BedrockRuntimeClient, ConverseStreamCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startSimulator, type RunningSimulator } from '../../src/simulator/start-simulator';

describe('provider simulator wire formats, read by the official SDKs', () => {
  let simulator: RunningSimulator;
  let openai: OpenAI;
  let anthropic: Anthropic;
  let bedrock: BedrockRuntimeClient;

  before(async () => {
    simulator = await startSimulator();
    openai = new OpenAI({ apiKey: 'acct-a', baseURL: simulator.openAIBaseUrl('eu'), maxRetries: 0 });
    anthropic = new Anthropic({ apiKey: 'acct-b', baseURL: simulator.anthropicBaseUrl('us'), maxRetries: 0 });
    bedrock = new BedrockRuntimeClient({
      region: 'eu-west-1',
      endpoint: simulator.url,
      credentials: { accessKeyId: 'AKIDSIM', secretAccessKey: 'secret' },
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler(),
    });
  });
  after(async () => simulator?.stop());
  beforeEach(() => {
    simulator.setFaults([]);
    simulator.calls.clear();
  });

  it('streams OpenAI chunks with usage and [DONE]', async () => {
    const stream = await openai.chat.completions.create({
      model: 'gpt-sim',
      messages: [{ role: 'user', content: 'stream this' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    assert.equal(text, 'Simulated reply to: stream this');
    assert.ok((usage?.total_tokens ?? 0) > 0);
    assert.deepEqual(Object.fromEntries(simulator.calls), { 'openai/acct-a/eu/gpt-sim': 1 });
  });

  it('streams Anthropic message events that the SDK assembles', async () => {
    const message = await anthropic.messages
      .stream({ model: 'claude-sim', max_tokens: 50, messages: [{ role: 'user', content: 'stream this' }] })
      .finalMessage();
    const [block] = message.content;
    assert.equal(block?.type === 'text' ? block.text : block?.type, 'Simulated reply to: stream this');
    assert.equal(message.stop_reason, 'end_turn');
    assert.equal(simulator.callCount('anthropic/acct-b/us/claude-sim'), 1);
  });

  it('reports an Anthropic in-stream error to the SDK', async () => {
    simulator.setFaults([{ match: { provider: 'anthropic' }, error: 'stream_interrupted' }]);
    await assert.rejects(
      anthropic.messages
        .stream({ model: 'claude-sim', max_tokens: 50, messages: [{ role: 'user', content: 'a long answer please' }] })
        .finalMessage(),
      /Overloaded|overloaded/,
    );
  });

  it('frames Bedrock ConverseStream as AWS event-stream that the SDK decodes', async () => {
    const output = await bedrock.send(
      new ConverseStreamCommand({
        modelId: 'eu.anthropic.claude-sim',
        messages: [{ role: 'user', content: [{ text: 'stream this' }] }],
      }),
    );
    let text = '';
    let stopReason: string | undefined;
    let outputTokens = 0;
    for await (const event of output.stream ?? []) {
      text += event.contentBlockDelta?.delta?.text ?? '';
      stopReason = event.messageStop?.stopReason ?? stopReason;
      outputTokens = event.metadata?.usage?.outputTokens ?? outputTokens;
    }
    assert.equal(text, 'Simulated reply to: stream this');
    assert.equal(stopReason, 'end_turn');
    assert.ok(outputTokens > 0);
    assert.equal(simulator.callCount('bedrock/AKIDSIM/eu-west-1/eu.anthropic.claude-sim'), 1);
  });

  it('sends a Bedrock in-stream exception frame the SDK raises by name', async () => {
    simulator.setFaults([{ match: { provider: 'bedrock' }, error: 'stream_interrupted' }]);
    const output = await bedrock.send(
      new ConverseStreamCommand({
        modelId: 'm',
        messages: [{ role: 'user', content: [{ text: 'a long answer please' }] }],
      }),
    );
    await assert.rejects(
      (async () => {
        for await (const _event of output.stream ?? []) {
          /* drain */
        }
      })(),
      (error: unknown) => (error as Error).name === 'ModelStreamErrorException',
    );
  });

  it('answers Bedrock InvokeModel with the model-native body', async () => {
    const output = await bedrock.send(
      new InvokeModelCommand({
        modelId: 'anthropic.claude-sim',
        contentType: 'application/json',
        body: JSON.stringify({
          anthropic_version: 'bedrock-2023-05-31',
          max_tokens: 20,
          messages: [{ role: 'user', content: 'invoke' }],
        }),
      }),
    );
    const body = JSON.parse(new TextDecoder().decode(output.body)) as { content: Array<{ text: string }> };
    assert.equal(body.content[0]?.text, 'Simulated reply to: invoke');
  });

  it('enforces an RPM limit with real 429s, Retry-After and rate-limit headers', async () => {
    simulator.setFaults([{ match: { provider: 'openai', model: 'gpt-sim' }, rpm: 2 }]);
    const first = await openai.chat.completions
      .create({ model: 'gpt-sim', messages: [{ role: 'user', content: 'one' }] })
      .withResponse();
    assert.equal(first.response.headers.get('x-ratelimit-limit-requests'), '2');
    assert.equal(first.response.headers.get('x-ratelimit-remaining-requests'), '1');
    await openai.chat.completions.create({ model: 'gpt-sim', messages: [{ role: 'user', content: 'two' }] });
    await assert.rejects(
      openai.chat.completions.create({ model: 'gpt-sim', messages: [{ role: 'user', content: 'three' }] }),
      (error: unknown) =>
        error instanceof OpenAI.RateLimitError &&
        error.code === 'rate_limit_exceeded' &&
        Number(error.headers?.get('retry-after')) > 0,
    );
    // Another model on the same account has its own window.
    await openai.chat.completions.create({ model: 'gpt-other', messages: [{ role: 'user', content: 'fine' }] });
  });

  it('takes faults and reports counters over its control API', async () => {
    const rejected = await fetch(`${simulator.url}/_simulator/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ error: 'no_such_fault' }]),
    });
    assert.equal(rejected.status, 400);
    const accepted = await fetch(`${simulator.url}/_simulator/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ match: { model: 'gpt-sim' }, error: 'overloaded', times: 1 }]),
    });
    assert.equal(accepted.status, 200);
    await assert.rejects(
      openai.chat.completions.create({ model: 'gpt-sim', messages: [{ role: 'user', content: 'x' }] }),
      (error: unknown) => error instanceof OpenAI.APIError && error.status === 503,
    );
    await openai.chat.completions.create({ model: 'gpt-sim', messages: [{ role: 'user', content: 'x' }] });
    const counters = await (await fetch(`${simulator.url}/_simulator/calls`)).json();
    assert.deepEqual(counters, { 'openai/acct-a/eu/gpt-sim': 2 });
  });
});
