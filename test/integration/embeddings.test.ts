import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countTokens } from 'gpt-tokenizer';
import OpenAI from 'openai';
import { GatewayKeyring } from '../../src/api/admission/gateway-keys';
import { embedThroughGateway } from '../../src/api/embeddings/embed-through-gateway';
import { decodeVector } from '../../src/providers/canonical-embedding';
import { simulatedEmbedding } from '../../src/simulator/simulated-embedding';
import { embeddingConfig } from '../helpers/embedding-scenarios';
import { providerCalls } from '../helpers/history';
import { gatewayOpenAI, useTestStack } from '../helpers/test-gateway';

/** Float32 rounding is all that may separate the gateway's vector from the simulator's. */
function assertSameVector(actual: number[], expected: number[]): void {
  assert.equal(actual.length, expected.length);
  const worst = Math.max(...actual.map((value, index) => Math.abs(value - expected[index]!)));
  assert.ok(worst < 1e-6, `largest difference ${worst}`);
}

const norm = (vector: number[]) => Math.hypot(...vector);

describe('POST /v1/embeddings through the inference workflow', () => {
  const suite = useTestStack(embeddingConfig);

  const kinds = [
    {
      group: 'embed-openai',
      provider: 'openai',
      model: 'text-embedding-3-small',
      counter: 'openai/primary/us/text-embedding-3-small',
      dimensions: 1536,
    },
    {
      group: 'embed-local',
      provider: 'vllm',
      model: 'nomic-embed-text',
      counter: 'openai/onprem/dc1/nomic-embed-text',
      dimensions: 768,
    },
    {
      group: 'embed-titan',
      provider: 'bedrock',
      model: 'amazon.titan-embed-text-v2:0',
      counter: 'bedrock/AKIDTESTBEDROCK/us-east-1/amazon.titan-embed-text-v2:0',
      dimensions: 1024,
    },
    {
      group: 'embed-cohere',
      provider: 'bedrock',
      model: 'cohere.embed-english-v3',
      counter: 'bedrock/AKIDTESTBEDROCK/us-east-1/cohere.embed-english-v3',
      dimensions: 1024,
    },
  ];

  for (const kind of kinds) {
    it(`${kind.group} → ${kind.provider} (${kind.model}): one text, the provider's vector, usage in tokens`, async () => {
      const text = `hello ${kind.model}`;
      // The SDK asks for base64 when the caller names no encoding, and decodes it.
      const { data, response } = await suite.openai.embeddings
        .create({ model: kind.group, input: text })
        .withResponse();
      assert.equal(data.object, 'list');
      assert.equal(data.model, kind.group);
      assert.equal(data.data.length, 1);
      assert.equal(data.data[0]!.object, 'embedding');
      assert.equal(data.data[0]!.index, 0);
      assertSameVector(data.data[0]!.embedding, simulatedEmbedding(kind.model, text));
      assert.equal(data.data[0]!.embedding.length, kind.dimensions);
      assert.ok(Math.abs(norm(data.data[0]!.embedding) - 1) < 1e-5);
      assert.equal(data.usage.prompt_tokens, countTokens(text));
      assert.equal(data.usage.total_tokens, data.usage.prompt_tokens);
      assert.equal(response.headers.get('x-gateway-provider'), kind.provider);
      assert.equal(response.headers.get('x-gateway-model'), kind.model);
      assert.equal(response.headers.get('x-gateway-fallback'), 'false');
      assert.equal(suite.stack.simulator.callCount(kind.counter), 1);
    });

    it(`${kind.group} → ${kind.provider}: a batch of texts comes back in input order`, async () => {
      const texts = ['first text', 'second text', 'third text'];
      const data = await suite.openai.embeddings.create({ model: kind.group, input: texts, encoding_format: 'float' });
      assert.deepEqual(
        data.data.map((item) => item.index),
        [0, 1, 2],
      );
      data.data.forEach((item, index) =>
        assertSameVector(item.embedding, simulatedEmbedding(kind.model, texts[index]!)),
      );
      assert.equal(
        data.usage.prompt_tokens,
        texts.reduce((sum, text) => sum + countTokens(text), 0),
      );
      // Titan takes one text per InvokeModel call; the others take the batch in one call.
      assert.equal(suite.stack.simulator.callCount(kind.counter), kind.model.startsWith('amazon.titan') ? 3 : 1);
    });
  }

  it('encoding_format base64: little-endian float32 bytes, the same vector as floats', async () => {
    const input = 'pack me';
    const packed = await suite.openai.embeddings.create({ model: 'embed-openai', input, encoding_format: 'base64' });
    const encoded = packed.data[0]!.embedding as unknown as string;
    assert.equal(typeof encoded, 'string');
    assert.equal(Buffer.from(encoded, 'base64').length, 1536 * 4);
    const floats = await suite.openai.embeddings.create({ model: 'embed-titan', input, encoding_format: 'base64' });
    assertSameVector(
      decodeVector(floats.data[0]!.embedding as unknown as string),
      simulatedEmbedding('amazon.titan-embed-text-v2:0', input),
    );
    assertSameVector(decodeVector(encoded), simulatedEmbedding('text-embedding-3-small', input));
  });

  it('dimensions: OpenAI and Titan shorten their vectors; a group whose models cannot gets a 400 that says why', async () => {
    const openaiShort = await suite.openai.embeddings.create({
      model: 'embed-openai',
      input: 'short',
      dimensions: 256,
    });
    assertSameVector(openaiShort.data[0]!.embedding, simulatedEmbedding('text-embedding-3-small', 'short', 256));
    const titanShort = await suite.openai.embeddings.create({ model: 'embed-titan', input: 'short', dimensions: 512 });
    assert.equal(titanShort.data[0]!.embedding.length, 512);
    assert.equal(suite.stack.simulator.callCount('bedrock/'), 1);
    const refused = await suite.openai.embeddings
      .create({ model: 'embed-cohere', input: 'short', dimensions: 256 })
      .catch((error: unknown) => error);
    assert.ok(refused instanceof OpenAI.BadRequestError, String(refused));
    assert.equal(refused.param, 'dimensions');
    assert.match(refused.message, /cohere\.embed-english-v3 cannot shorten its vectors/);
    const titanOdd = await suite.openai.embeddings
      .create({ model: 'embed-titan', input: 'short', dimensions: 300 })
      .catch((error: unknown) => error);
    assert.ok(titanOdd instanceof OpenAI.BadRequestError, String(titanOdd));
    assert.match(titanOdd.message, /dimensions must be one of 256, 512, 1024/);
    const long = 'word '.repeat(600);
    const tooLong = await suite.openai.embeddings
      .create({ model: 'embed-cohere', input: ['short', long] })
      .catch((error: unknown) => error);
    assert.ok(tooLong instanceof OpenAI.BadRequestError, String(tooLong));
    assert.equal(tooLong.param, 'input');
    assert.ok(
      tooLong.message.includes(`takes at most 512 tokens per input (the longest has ${countTokens(long)})`),
      tooLong.message,
    );
    assert.equal(suite.stack.simulator.callCount('bedrock/'), 1, 'no refused request reached Bedrock');
  });

  it('token arrays skip a route that takes only texts (the decision record says why) and reach OpenAI', async () => {
    const tokens = [
      [9906, 1917],
      [40, 1097, 264],
    ];
    const { data, response } = await suite.openai.embeddings
      .create({ model: 'embed-titan-then-openai', input: tokens })
      .withResponse();
    assert.equal(response.headers.get('x-gateway-provider'), 'openai');
    tokens.forEach((item, index) =>
      assertSameVector(data.data[index]!.embedding, simulatedEmbedding('text-embedding-3-small', item)),
    );
    assert.equal(data.usage.prompt_tokens, 5);
    assert.equal(suite.stack.simulator.callCount('bedrock/'), 0);
    const inference = (await (
      await fetch(`${suite.stack.gateway.url}/v1/inferences/${response.headers.get('x-gateway-inference-id')}`, {
        headers: { authorization: `Bearer ${suite.stack.gatewayKey}` },
      })
    ).json()) as {
      decision: {
        selections: Array<{
          steps: Array<{ step: string; choice?: string; skipped: Array<{ reason: string; detail?: string }> }>;
        }>;
      };
      result: { object: string; data: Array<{ embedding: number[] }> };
    };
    const steps = inference.decision.selections[0]!.steps;
    assert.deepEqual(
      steps.map((step) => step.step),
      ['provider', 'model', 'account', 'region'],
    );
    assert.equal(steps[0]!.choice, 'openai');
    assert.ok(
      steps[0]!.skipped.some((skip) => skip.reason === 'capability' && skip.detail === 'takes texts, not token arrays'),
      JSON.stringify(steps[0]!.skipped),
    );
    assert.equal(inference.result.object, 'list');
    assertSameVector(inference.result.data[1]!.embedding, data.data[1]!.embedding);
  });

  it('an overloaded primary (503) falls back to the next route, visibly', async () => {
    suite.stack.simulator.setFaults([{ match: { provider: 'openai', account: 'primary' }, error: 'overloaded' }]);
    const { data, response } = await suite.openai.embeddings
      .create({ model: 'embed-failover', input: ['a', 'b'] })
      .withResponse();
    assert.equal(data.data.length, 2);
    assertSameVector(data.data[0]!.embedding, simulatedEmbedding('text-embedding-3-small', 'a'));
    assert.equal(response.headers.get('x-gateway-provider'), 'vllm');
    assert.equal(response.headers.get('x-gateway-fallback'), 'true');
    assert.equal(response.headers.get('x-gateway-attempts'), '2');
    assert.equal(suite.stack.simulator.callCount('openai/primary/'), 1, 'an overload moves on at once');
    assert.equal(suite.stack.simulator.callCount('openai/onprem/dc1/text-embedding-3-small'), 1);
  });

  it('a server error (500) on Bedrock is retried once on the same route', async () => {
    suite.stack.simulator.setFaults([{ match: { provider: 'bedrock' }, error: 'server_error', times: 1 }]);
    const { data, response } = await suite.openai.embeddings
      .create({ model: 'embed-cohere', input: 'again' })
      .withResponse();
    assertSameVector(data.data[0]!.embedding, simulatedEmbedding('cohere.embed-english-v3', 'again'));
    assert.equal(response.headers.get('x-gateway-attempts'), '2');
    assert.equal(suite.stack.simulator.callCount('bedrock/'), 2);
  });

  it('a deterministic 400 from the provider fails fast: no retry, no fallback', async () => {
    suite.stack.simulator.setFaults([{ match: { provider: 'openai', account: 'primary' }, error: 'invalid_request' }]);
    const error = await suite.openai.embeddings
      .create({ model: 'embed-failover', input: 'bad' })
      .catch((caught: unknown) => caught);
    assert.ok(error instanceof OpenAI.BadRequestError, String(error));
    assert.equal(error.status, 400);
    assert.equal(suite.stack.simulator.callCount(), 1, 'exactly one provider call');
  });

  it('a chat group is refused for embeddings, and an embedding group for chat, with a 400 naming the endpoint', async () => {
    const error = await suite.openai.embeddings
      .create({ model: 'chat', input: 'hi' })
      .catch((caught: unknown) => caught);
    assert.ok(error instanceof OpenAI.BadRequestError, String(error));
    assert.equal(error.code, 'wrong_operation');
    assert.equal(error.param, 'model');
    assert.match(error.message, /serves chat, not embeddings; send it to POST \/v1\/chat\/completions/);
    const chat = await suite.openai.chat.completions
      .create({ model: 'embed-openai', messages: [{ role: 'user', content: 'hi' }] })
      .catch((caught: unknown) => caught);
    assert.ok(chat instanceof OpenAI.BadRequestError, String(chat));
    assert.equal(chat.code, 'wrong_operation');
    assert.match(chat.message, /serves embeddings, not chat; send it to POST \/v1\/embeddings/);
    assert.equal(suite.stack.simulator.callCount(), 0);
  });

  it('bad input gets a 400 in the OpenAI shape naming the field', async () => {
    const post = async (body: unknown) => {
      const response = await fetch(`${suite.stack.gateway.url}/v1/embeddings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${suite.stack.gatewayKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return {
        status: response.status,
        body: (await response.json()) as {
          error: { message: string; type: string; code: string; param: string | null };
        },
      };
    };
    const cases: Array<{ body: unknown; param: string | null; message: RegExp }> = [
      { body: { model: 'embed-openai', input: '' }, param: 'input', message: /empty string|non-empty/ },
      { body: { model: 'embed-openai', input: [] }, param: 'input', message: /input/ },
      { body: { model: 'embed-openai', input: [1, 'two'] }, param: 'input', message: /input/ },
      {
        body: { model: 'embed-openai', input: 'x', encoding_format: 'int8' },
        param: 'encoding_format',
        message: /encoding_format/,
      },
      { body: { model: 'embed-openai', input: 'x', dimensions: 0 }, param: 'dimensions', message: /dimensions/ },
      {
        body: { model: 'embed-openai', input: 'x', input_type: 'search_query' },
        param: 'input_type',
        message: /Unknown field\(s\): input_type/,
      },
      { body: { input: 'x' }, param: 'model', message: /model/ },
    ];
    for (const { body, param, message } of cases) {
      const answer = await post(body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.error.type, 'invalid_request_error');
      assert.equal(answer.body.error.param, param, JSON.stringify(answer.body));
      assert.match(answer.body.error.message, message);
    }
    // Explicit nulls mean "not set".
    const nulls = await post({
      model: 'embed-openai',
      input: 'x',
      encoding_format: null,
      dimensions: null,
      user: null,
    });
    assert.equal(nulls.status, 200);
    const missing = await post({ model: 'no-such-group', input: 'x' });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'model_not_found');
    assert.equal(suite.stack.simulator.callCount(), 1, 'only the valid request reached a provider');
  });

  it('usage and cost are recorded for the tenant, by model group and feature', async () => {
    const feature = `embeddings-usage-${Date.now()}`;
    const texts = ['count these tokens', 'and these'];
    const data = await suite.openai.embeddings.create(
      { model: 'embed-openai', input: texts },
      { headers: { 'x-feature': feature } },
    );
    const tokens = data.usage.prompt_tokens;
    const usage = (await (
      await fetch(`${suite.stack.gateway.url}/v1/usage?tenant=tenant-test`, {
        headers: { authorization: `Bearer ${suite.stack.gatewayKey}` },
      })
    ).json()) as {
      tenants: Array<{
        tenant: string;
        by_feature: Array<{
          feature: string;
          requests: number;
          prompt_tokens: number;
          completion_tokens: number;
          cost: number;
        }>;
      }>;
    };
    const row = usage.tenants
      .find((tenant) => tenant.tenant === 'tenant-test')
      ?.by_feature.find((entry) => entry.feature === feature);
    assert.ok(row, JSON.stringify(usage));
    assert.equal(row.requests, 1);
    assert.equal(row.prompt_tokens, tokens);
    assert.equal(row.completion_tokens, 0);
    assert.equal(row.cost, Number(((tokens * 20) / 1_000_000).toFixed(9)));
  });

  it('features inside the gateway embed through the same routing (embedThroughGateway), with its fallback', async () => {
    suite.stack.simulator.setFaults([{ match: { provider: 'openai', account: 'primary' }, error: 'overloaded' }]);
    const dependencies = {
      client: suite.stack.gateway.client,
      taskQueue: suite.stack.gateway.taskQueue,
      getConfig: () => suite.stack.config,
      keyring: new GatewayKeyring(() => suite.stack.config),
    };
    const outcome = await embedThroughGateway(dependencies, {
      tenant: 'tenant-test',
      modelGroup: 'embed-failover',
      texts: ['inside'],
    });
    assert.equal(outcome.kind, 'result', JSON.stringify(outcome));
    if (outcome.kind !== 'result') return;
    assertSameVector(
      decodeVector(outcome.result.response.embeddings[0]!),
      simulatedEmbedding('text-embedding-3-small', 'inside'),
    );
    assert.equal(outcome.result.route.provider, 'vllm');
    assert.deepEqual(
      outcome.result.decision.attempts.map((attempt) => attempt.outcome),
      ['Overloaded', 'success'],
    );
    await assert.rejects(
      embedThroughGateway(dependencies, { tenant: 'tenant-test', modelGroup: 'chat', texts: ['x'] }),
      /not an embeddings model group/,
    );
  });

  it('health probes call an embedding route with an embedding and a chat route with a chat', async () => {
    suite.stack.simulator.requests.length = 0;
    const results: Array<{ route: string; ok: boolean }> = await suite.stack.gateway.client.workflow.execute(
      'probeRoutes',
      { taskQueue: suite.stack.gateway.taskQueue, workflowId: `probe-embeddings-${Date.now()}` },
    );
    assert.ok(results.length >= 6 && results.every((result) => result.ok), JSON.stringify(results));
    const sent = (counter: string) => suite.stack.simulator.requests.find((recorded) => recorded.route === counter);
    assert.match(sent('openai/primary/us/text-embedding-3-small')?.path ?? '', /\/v1\/embeddings$/);
    assert.match(sent('openai/onprem/dc1/nomic-embed-text')?.path ?? '', /\/v1\/embeddings$/);
    assert.match(sent('openai/primary/us/sim-gpt')?.path ?? '', /\/v1\/chat\/completions$/);
    assert.equal(sent('bedrock/AKIDTESTBEDROCK/us-east-1/amazon.titan-embed-text-v2:0')?.body.inputText, 'ping');
    assert.deepEqual(sent('bedrock/AKIDTESTBEDROCK/us-east-1/cohere.embed-english-v3')?.body.texts, ['ping']);
  });

  it('an Idempotency-Key joins the first inference (one provider call); a key outside its scopes gets 403', async () => {
    const headers = { 'idempotency-key': `embed-${Date.now()}` };
    const first = await suite.openai.embeddings
      .create({ model: 'embed-openai', input: 'once' }, { headers })
      .withResponse();
    const again = await suite.openai.embeddings
      .create({ model: 'embed-openai', input: 'once' }, { headers })
      .withResponse();
    assert.equal(
      again.response.headers.get('x-gateway-inference-id'),
      first.response.headers.get('x-gateway-inference-id'),
    );
    assert.deepEqual(again.data.data[0]!.embedding, first.data.data[0]!.embedding);
    assert.equal(suite.stack.simulator.callCount(), 1);
    const scoped = gatewayOpenAI(suite.stack, suite.stack.scopedKey);
    const refused = await scoped.embeddings
      .create({ model: 'embed-openai', input: 'x' })
      .catch((error: unknown) => error);
    assert.ok(refused instanceof OpenAI.PermissionDeniedError, String(refused));
    assert.equal(refused.code, 'model_not_allowed');
  });

  it('route quotas hold for embeddings: a full RPM or TPM window sends the request to the next route, and the record says so', async () => {
    const decisionOf = async (response: Response) =>
      (
        (await (
          await fetch(`${suite.stack.gateway.url}/v1/inferences/${response.headers.get('x-gateway-inference-id')}`, {
            headers: { authorization: `Bearer ${suite.stack.gatewayKey}` },
          })
        ).json()) as {
          decision: { selections: Array<{ steps: Array<{ skipped: Array<{ reason: string; detail?: string }> }> }> };
        }
      ).decision;
    const first = await suite.openai.embeddings.create({ model: 'embed-quota', input: 'one' }).withResponse();
    assert.equal(first.response.headers.get('x-gateway-provider'), 'openai');
    const second = await suite.openai.embeddings.create({ model: 'embed-quota', input: 'two' }).withResponse();
    assert.equal(second.response.headers.get('x-gateway-provider'), 'vllm');
    const skips = (await decisionOf(second.response)).selections[0]!.steps.flatMap((step) => step.skipped);
    assert.ok(
      skips.some((skip) => skip.reason === 'no_quota' && skip.detail === 'rpm 1 reached'),
      JSON.stringify(skips),
    );
    // 31 tokens do not fit a 20-token window: the TPM check counts the input's tokens.
    const long = await suite.openai.embeddings.create({ model: 'embed-tpm', input: 'word '.repeat(30) }).withResponse();
    assert.equal(long.response.headers.get('x-gateway-provider'), 'vllm');
    const tpmSkips = (await decisionOf(long.response)).selections[0]!.steps.flatMap((step) => step.skipped);
    assert.ok(
      tpmSkips.some((skip) => skip.reason === 'no_quota' && skip.detail === 'tpm 20 reached'),
      JSON.stringify(tpmSkips),
    );
    const short = await suite.openai.embeddings.create({ model: 'embed-tpm', input: 'short' }).withResponse();
    assert.equal(short.response.headers.get('x-gateway-provider'), 'openai');
  });

  it('both call paths: standard traffic embeds in local activities, background traffic in an activity that Temporal retries', async () => {
    const calls = async (response: Response) =>
      providerCalls(
        (
          await suite.stack.gateway.client.workflow
            .getHandle(response.headers.get('x-gateway-inference-id')!)
            .fetchHistory()
        ).events ?? [],
      );
    const route = 'bedrock/cohere.embed-english-v3 (aws-main, us-east-1)';
    suite.stack.simulator.setFaults([{ match: { provider: 'bedrock' }, error: 'server_error', times: 1 }]);
    const local = await suite.openai.embeddings.create({ model: 'embed-cohere', input: 'paths' }).withResponse();
    assert.deepEqual(await calls(local.response), [
      { type: 'embedRoute', kind: 'local', summary: `attempt 1: ${route}` },
      { type: 'embedRoute', kind: 'local', summary: `attempt 1: ${route} (call 2)` },
    ]);
    suite.stack.simulator.setFaults([{ match: { provider: 'bedrock' }, error: 'server_error', times: 1 }]);
    const remote = await suite.openai.embeddings
      .create({ model: 'embed-cohere', input: 'paths' }, { headers: { 'x-traffic-class': 'background' } })
      .withResponse();
    assert.deepEqual(await calls(remote.response), [
      { type: 'embedRoute', kind: 'activity', summary: `attempt 1: ${route}` },
    ]);
    assert.equal(remote.response.headers.get('x-gateway-attempts'), '2');
    assertSameVector(remote.data.data[0]!.embedding, local.data.data[0]!.embedding);
    assert.equal(suite.stack.simulator.callCount('bedrock/'), 4);
  });
});
