import Anthropic from '@anthropic-ai/sdk';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startTestStack, type TestStack, simulatorRoutes } from '../helpers/test-gateway';

const routes = simulatorRoutes;

const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

const textOf = (message: Anthropic.Message) =>
  message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');

describe('POST /v1/messages (Anthropic-compatible) through a real Temporal server', () => {
  let stack: TestStack;
  let anthropic: Anthropic;

  before(async () => {
    stack = await startTestStack();
    anthropic = new Anthropic({ apiKey: stack.gatewayKey, baseURL: stack.gateway.url, maxRetries: 0 });
  });
  after(async () => stack?.stop());
  beforeEach(() => {
    stack.simulator.setFaults([]);
    stack.simulator.calls.clear();
  });

  for (const route of routes) {
    it(`${route.modelGroup} → ${route.provider}: the Anthropic SDK gets a message`, async () => {
      const { data: message, response } = await anthropic.messages
        .create({
          model: route.modelGroup,
          max_tokens: 64,
          system: 'Be brief.',
          messages: [{ role: 'user', content: `hello ${route.provider}` }],
        })
        .withResponse();
      assert.equal(message.type, 'message');
      assert.equal(message.role, 'assistant');
      assert.equal(message.model, route.modelGroup);
      assert.equal(textOf(message), `Simulated reply to: hello ${route.provider}`);
      assert.equal(message.stop_reason, 'end_turn');
      assert.ok(message.usage.input_tokens > 0 && message.usage.output_tokens > 0);
      assert.equal(response.headers.get('x-gateway-provider'), route.provider);
      assert.match(response.headers.get('x-gateway-inference-id') ?? '', /^inf-/);
      assert.equal(stack.simulator.callCount(route.counter), 1);
    });

    it(`${route.modelGroup} → ${route.provider}: tool_use and tool_result blocks, round trip`, async () => {
      const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
      const first = await anthropic.messages.create({
        model: route.modelGroup,
        max_tokens: 256,
        messages,
        tools: [weatherTool],
        tool_choice: { type: 'auto' },
      });
      assert.equal(first.stop_reason, 'tool_use');
      const toolUse = first.content.find((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use');
      assert.ok(toolUse);
      assert.equal(toolUse.name, 'get_weather');
      assert.deepEqual(toolUse.input, { city: 'sample city' });

      messages.push({ role: 'assistant', content: first.content as Anthropic.ContentBlockParam[] });
      messages.push({
        role: 'user',
        content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: '18°C and sunny' }],
      });
      const second = await anthropic.messages.create({
        model: route.modelGroup,
        max_tokens: 256,
        messages,
        tools: [weatherTool],
      });
      assert.equal(second.stop_reason, 'end_turn');
      assert.equal(textOf(second), 'Simulated answer using the tool result: 18°C and sunny');
    });

    it(`${route.modelGroup} → ${route.provider}: messages.stream() delivers text events and a final message`, async () => {
      const stream = anthropic.messages.stream({
        model: route.modelGroup,
        max_tokens: 64,
        messages: [{ role: 'user', content: `stream from ${route.provider}` }],
      });
      const pieces: string[] = [];
      stream.on('text', (text) => pieces.push(text));
      const message = await stream.finalMessage();
      assert.ok(pieces.length > 2, 'the text arrived in pieces');
      assert.equal(pieces.join(''), `Simulated reply to: stream from ${route.provider}`);
      assert.equal(textOf(message), pieces.join(''));
      assert.equal(message.model, route.modelGroup);
      assert.equal(message.stop_reason, 'end_turn');
      assert.ok(message.usage.input_tokens > 0 && message.usage.output_tokens > 0, 'usage from message_delta');
    });

    it(`${route.modelGroup} → ${route.provider}: a streamed tool call arrives as input_json_delta`, async () => {
      const stream = anthropic.messages.stream({
        model: route.modelGroup,
        max_tokens: 256,
        messages: [{ role: 'user', content: 'weather in Paris?' }],
        tools: [weatherTool],
      });
      const partials: string[] = [];
      stream.on('inputJson', (partial) => partials.push(partial));
      const message = await stream.finalMessage();
      assert.equal(message.stop_reason, 'tool_use');
      const [block] = message.content;
      assert.equal(block?.type, 'tool_use');
      assert.deepEqual((block as Anthropic.ToolUseBlock).input, { city: 'sample city' });
      assert.ok(partials.length > 0, 'the input arrived as input_json_delta');
    });
  }

  it('ends an interrupted stream with an error event the SDK raises, and the audit says StreamInterrupted', async () => {
    stack.simulator.setFaults([{ match: { provider: 'bedrock' }, error: 'stream_interrupted' }]);
    const stream = anthropic.messages.stream({
      model: 'nova',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'this answer breaks halfway through' }],
    });
    const pieces: string[] = [];
    stream.on('text', (text) => pieces.push(text));
    await assert.rejects(
      stream.finalMessage(),
      (error: unknown) => error instanceof Anthropic.APIError && /broke after the first token/.test(error.message),
    );
    assert.ok(pieces.length > 0, 'part of the answer had arrived');
    const inferenceId = (await stream.withResponse()).response.headers.get('x-gateway-inference-id')!;
    await stack.gateway.client.workflow
      .getHandle(inferenceId)
      .result()
      .catch(() => undefined);
    const audit = (await (
      await fetch(`${stack.gateway.url}/v1/inferences/${inferenceId}`, { headers: { 'x-api-key': stack.gatewayKey } })
    ).json()) as {
      error: { code: string };
      decision: { attempts: Array<{ outcome: string }> };
    };
    assert.equal(audit.error.code, 'stream_interrupted');
    assert.deepEqual(
      audit.decision.attempts.map((attempt) => attempt.outcome),
      ['StreamInterrupted'],
    );
  });

  it("answers a wrong or missing key with 401 in Anthropic's shape", async () => {
    const stranger = new Anthropic({ apiKey: 'gw-not-a-key', baseURL: stack.gateway.url, maxRetries: 0 });
    await assert.rejects(
      stranger.messages.create({ model: 'claude', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
      (error: unknown) => error instanceof Anthropic.AuthenticationError && error.type === 'authentication_error',
    );
    const missing = await fetch(`${stack.gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(missing.status, 401);
    const body = (await missing.json()) as { type: string; error: { type: string; message: string } };
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'authentication_error');
    const openAIPath = await fetch(`${stack.gateway.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
    assert.equal(
      ((await openAIPath.json()) as { error: { code: string } }).error.code,
      'invalid_api_key',
      "OpenAI paths keep OpenAI's shape",
    );
  });

  it('accepts the key as a bearer token too', async () => {
    const answer = await fetch(`${stack.gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.gatewayKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude', max_tokens: 16, messages: [{ role: 'user', content: 'bearer' }] }),
    });
    assert.equal(answer.status, 200);
    assert.equal(((await answer.json()) as { type: string }).type, 'message');
  });

  it('answers an unknown model with 404 not_found_error and calls no provider', async () => {
    await assert.rejects(
      anthropic.messages.create({
        model: 'no-such-model',
        max_tokens: 16,
        messages: [{ role: 'user', content: 'hi' }],
      }),
      (error: unknown) =>
        error instanceof Anthropic.NotFoundError &&
        error.type === 'not_found_error' &&
        /no-such-model/.test(error.message),
    );
    assert.equal(stack.simulator.callCount(), 0);
  });

  it('answers an invalid body with 400 invalid_request_error naming the field', async () => {
    const post = (body: unknown) => anthropic.messages.create(body as Anthropic.MessageCreateParamsNonStreaming);
    await assert.rejects(
      post({ model: 'claude', messages: [{ role: 'user', content: 'hi' }] }),
      (error: unknown) =>
        error instanceof Anthropic.BadRequestError &&
        error.type === 'invalid_request_error' &&
        /max_tokens/.test(error.message),
    );
    await assert.rejects(
      post({ model: 'claude', max_tokens: 16, messages: [] }),
      (error: unknown) => error instanceof Anthropic.BadRequestError && /messages/.test(error.message),
    );
    await assert.rejects(
      post({ model: 'claude', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }], top_k: 'five' }),
      (error: unknown) => error instanceof Anthropic.BadRequestError && /top_k/.test(error.message),
    );
    await assert.rejects(
      post({
        model: 'claude',
        max_tokens: 16,
        messages: [{ role: 'user', content: 'hi' }],
        thinking: { type: 'enabled', budget_tokens: 'many' },
      }),
      (error: unknown) => error instanceof Anthropic.BadRequestError && /thinking\.budget_tokens/.test(error.message),
    );
    await assert.rejects(
      post({ model: 'claude', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }], temprature: 0.5 }),
      (error: unknown) =>
        error instanceof Anthropic.BadRequestError && /Unknown field\(s\): temprature/.test(error.message),
    );
    const malformed = await fetch(`${stack.gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': stack.gatewayKey, 'content-type': 'application/json' },
      body: '{"model": "claude", "messages": [',
    });
    assert.equal(malformed.status, 400);
    assert.deepEqual(
      ((await malformed.json()) as { type: string; error: { type: string } }).error.type,
      'invalid_request_error',
    );
  });

  it("refuses a model group outside the key's scopes with 403 permission_error", async () => {
    const scoped = new Anthropic({ apiKey: stack.scopedKey, baseURL: stack.gateway.url, maxRetries: 0 });
    await assert.rejects(
      scoped.messages.create({ model: 'claude', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
      (error: unknown) => error instanceof Anthropic.PermissionDeniedError && error.type === 'permission_error',
    );
  });

  it("renders provider failures in Anthropic's shape, with the gateway code and attempts", async () => {
    stack.simulator.setFaults([{ match: { provider: 'openai' }, error: 'invalid_request' }]);
    await assert.rejects(
      anthropic.messages.create({
        model: 'chat-default',
        max_tokens: 16,
        messages: [{ role: 'user', content: 'bad' }],
      }),
      (error: unknown) => error instanceof Anthropic.BadRequestError && error.type === 'invalid_request_error',
    );
    stack.simulator.setFaults([{ match: { provider: 'anthropic' }, error: 'server_error', retryAfterSeconds: 0 }]);
    const error = await anthropic.messages
      .create({ model: 'claude', max_tokens: 16, messages: [{ role: 'user', content: 'down' }] })
      .then(
        () => assert.fail('should fail'),
        (thrown: unknown) => thrown,
      );
    assert.ok(error instanceof Anthropic.InternalServerError);
    assert.equal(error.status, 503);
    const body = error.error as { type: string; error: { type: string; code: string; attempts: unknown[] } };
    assert.equal(body.type, 'error');
    assert.equal(body.error.type, 'overloaded_error');
    assert.equal(body.error.code, 'all_routes_exhausted');
    assert.equal(body.error.attempts.length, 1);
  });

  it("answers an unknown path under /v1/messages in Anthropic's shape", async () => {
    const answer = await fetch(`${stack.gateway.url}/v1/messages/batches`, {
      headers: { 'x-api-key': stack.gatewayKey },
    });
    assert.equal(answer.status, 404);
    assert.equal(((await answer.json()) as { error: { type: string } }).error.type, 'not_found_error');
  });
});
