import { BedrockRuntimeClient, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import { simulatedEmbedding } from '../../src/simulator/simulated-embedding';
import { startSimulator, type RunningSimulator } from '../../src/simulator/start-simulator';

describe('provider simulator embedding wire formats, read by the official SDKs', () => {
  let simulator: RunningSimulator;
  let openai: OpenAI;
  let bedrock: BedrockRuntimeClient;
  const invoke = async (modelId: string, body: object) => {
    const output = await bedrock.send(
      new InvokeModelCommand({
        modelId,
        contentType: 'application/json',
        accept: 'application/json',
        body: JSON.stringify(body),
      }),
    );
    return JSON.parse(output.body.transformToString()) as Record<string, unknown>;
  };

  before(async () => {
    simulator = await startSimulator();
    openai = new OpenAI({ apiKey: 'acct-a', baseURL: simulator.openAIBaseUrl('eu'), maxRetries: 0 });
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

  it('OpenAI: deterministic unit vectors, per model and text; usage; floats on request', async () => {
    const answer = await openai.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['alpha', 'beta'],
      encoding_format: 'float',
    });
    assert.equal(answer.object, 'list');
    assert.deepEqual(
      answer.data.map((item) => [item.object, item.index, item.embedding.length]),
      [
        ['embedding', 0, 1536],
        ['embedding', 1, 1536],
      ],
    );
    assert.deepEqual(answer.data[0]!.embedding, simulatedEmbedding('text-embedding-3-small', 'alpha'));
    assert.notDeepEqual(
      answer.data[0]!.embedding,
      simulatedEmbedding('text-embedding-3-large', 'alpha').slice(0, 1536),
    );
    assert.ok(Math.abs(Math.hypot(...answer.data[1]!.embedding) - 1) < 1e-9);
    assert.deepEqual(answer.usage, { prompt_tokens: 2, total_tokens: 2 });
    assert.equal(simulator.callCount('openai/acct-a/eu/text-embedding-3-small'), 1);
  });

  it('OpenAI: dimensions shortens and renormalises on text-embedding-3, and is a 400 on ada-002, as OpenAI answers', async () => {
    const short = await openai.embeddings.create({
      model: 'text-embedding-3-small',
      input: 'gamma',
      dimensions: 8,
      encoding_format: 'float',
    });
    const full = simulatedEmbedding('text-embedding-3-small', 'gamma');
    const prefix = full.slice(0, 8);
    const norm = Math.hypot(...prefix);
    const expected = prefix.map((value) => value / norm);
    assert.equal(short.data[0]!.embedding.length, 8);
    short.data[0]!.embedding.forEach((value, index) =>
      assert.ok(Math.abs(value - expected[index]!) < 1e-12, `component ${index}`),
    );
    await assert.rejects(
      openai.embeddings.create({ model: 'text-embedding-ada-002', input: 'gamma', dimensions: 8 }),
      (error: unknown) =>
        error instanceof OpenAI.BadRequestError && /does not support specifying dimensions/.test(error.message),
    );
  });

  it('Bedrock Titan V2: its body, its token count, its ValidationException for a bad body', async () => {
    const answer = await invoke('amazon.titan-embed-text-v2:0', {
      inputText: 'delta',
      dimensions: 256,
      normalize: true,
    });
    assert.deepEqual(answer.embedding, simulatedEmbedding('amazon.titan-embed-text-v2:0', 'delta', 256));
    assert.deepEqual((answer.embeddingsByType as { float: number[] }).float, answer.embedding);
    assert.equal(answer.inputTextTokenCount, 1);
    await assert.rejects(
      invoke('amazon.titan-embed-text-v2:0', { texts: ['wrong body'] }),
      (error: Error) => error.name === 'ValidationException',
    );
    await assert.rejects(
      invoke('amazon.titan-embed-text-v2:0', { inputText: 'x', dimensions: 300 }),
      (error: Error) => error.name === 'ValidationException',
    );
  });

  it('Bedrock Cohere: both response types, input_type required', async () => {
    const byType = await invoke('cohere.embed-english-v3', {
      texts: ['one', 'two'],
      input_type: 'search_document',
      embedding_types: ['float'],
    });
    assert.equal(byType.response_type, 'embeddings_by_type');
    assert.deepEqual(
      (byType.embeddings as { float: number[][] }).float[1],
      simulatedEmbedding('cohere.embed-english-v3', 'two'),
    );
    const floats = await invoke('cohere.embed-english-v3', { texts: ['one'], input_type: 'search_query' });
    assert.equal(floats.response_type, 'embeddings_floats');
    assert.deepEqual((floats.embeddings as number[][])[0], simulatedEmbedding('cohere.embed-english-v3', 'one'));
    await assert.rejects(
      invoke('cohere.embed-english-v3', { texts: ['one'] }),
      (error: Error) => error.name === 'ValidationException',
    );
  });

  it('the fault plan applies to embedding calls in each wire format', async () => {
    simulator.setFaults([
      { match: { provider: 'bedrock', model: 'cohere.embed-english-v3' }, error: 'rate_limited', retryAfterSeconds: 3 },
      { match: { provider: 'openai' }, error: 'malformed', times: 1 },
    ]);
    await assert.rejects(
      invoke('cohere.embed-english-v3', { texts: ['x'], input_type: 'clustering' }),
      (error: Error) => error.name === 'ThrottlingException',
    );
    await assert.rejects(openai.embeddings.create({ model: 'text-embedding-3-small', input: 'x' }));
    const after = await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'x' });
    assert.equal(after.data.length, 1);
    assert.equal(simulator.callCount('bedrock/AKIDSIM/eu-west-1/cohere.embed-english-v3'), 1);
    assert.equal(simulator.callCount('openai/'), 2);
  });
});
