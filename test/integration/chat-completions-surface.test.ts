import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import OpenAI from 'openai';
import { requestProperties } from '../helpers/openai-spec';
import { bedrockClaudeModel, surfaceConfig } from '../helpers/surface-config';
import { startTestStack, weatherTool, type TestStack } from '../helpers/test-gateway';

const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Hello surface' }];
const weatherFunction = (weatherTool as OpenAI.ChatCompletionFunctionTool).function;

/**
 * An ordinary value for each field of createChatCompletion, with the companions it needs. The
 * walk below fails when the spec has a field this table lacks, so a new field cannot go untested.
 */
const ordinaryValues: Record<string, Record<string, unknown>> = {
  model: {},
  messages: {},
  metadata: { metadata: { team: 'search', ticket: 'T-1' } },
  top_logprobs: { logprobs: true, top_logprobs: 2 },
  temperature: { temperature: 0.7 },
  top_p: { top_p: 0.9 },
  user: { user: 'user-42' },
  safety_identifier: { safety_identifier: 'hashed-user-42' },
  prompt_cache_key: { prompt_cache_key: 'conversation-7' },
  prompt_cache_retention: { prompt_cache_retention: '24h' },
  prompt_cache_options: { prompt_cache_options: { ttl: '30m', mode: 'explicit' } },
  service_tier: { service_tier: 'flex' },
  modalities: { modalities: ['text'] },
  verbosity: { verbosity: 'low' },
  reasoning_effort: { reasoning_effort: 'low' },
  max_completion_tokens: { max_completion_tokens: 4096 },
  frequency_penalty: { frequency_penalty: 0.5 },
  presence_penalty: { presence_penalty: -0.5 },
  web_search_options: {
    web_search_options: {
      search_context_size: 'low',
      user_location: { type: 'approximate', approximate: { city: 'Lyon', country: 'FR' } },
    },
  },
  response_format: {
    response_format: {
      type: 'json_schema',
      json_schema: {
        name: 'answer',
        schema: { type: 'object', properties: { text: { type: 'string' } } },
        strict: true,
      },
    },
  },
  audio: { modalities: ['text', 'audio'], audio: { voice: 'alloy', format: 'mp3' } },
  store: { store: true },
  moderation: { moderation: { model: 'omni-moderation-latest', policy: null } },
  stream: { stream: true },
  stop: { stop: ['END', 'STOP'] },
  logit_bias: { logit_bias: { '50256': -100 } },
  logprobs: { logprobs: true },
  max_tokens: { max_tokens: 64 },
  n: { n: 2 },
  prediction: { prediction: { type: 'content', content: 'Hello surface' } },
  seed: { seed: 1234 },
  stream_options: { stream: true, stream_options: { include_usage: true, include_obfuscation: false } },
  tools: { tools: [weatherTool] },
  tool_choice: { tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'get_weather' } } },
  parallel_tool_calls: { tools: [weatherTool], parallel_tool_calls: false },
  function_call: { functions: [weatherFunction], function_call: 'auto' },
  functions: { functions: [weatherFunction] },
};

/** Fields an Anthropic route cannot honour, which must come back in x-gateway-dropped-params there. */
const droppedOnAnthropic: Record<string, string> = {
  metadata: 'metadata',
  top_logprobs: 'top_logprobs',
  prompt_cache_key: 'prompt_cache_key',
  prompt_cache_retention: 'prompt_cache_retention',
  prompt_cache_options: 'prompt_cache_options',
  service_tier: 'service_tier',
  modalities: 'modalities',
  verbosity: 'verbosity',
  frequency_penalty: 'frequency_penalty',
  presence_penalty: 'presence_penalty',
  web_search_options: 'web_search_options',
  audio: 'audio',
  store: 'store',
  moderation: 'moderation',
  logit_bias: 'logit_bias',
  logprobs: 'logprobs',
  n: 'n',
  prediction: 'prediction',
  seed: 'seed',
};

describe("POST /v1/chat/completions: the whole request surface of OpenAI's spec, through a real Temporal server", () => {
  let stack: TestStack;
  let openai: OpenAI;
  const properties = requestProperties('CreateChatCompletionRequest');

  const post = (body: Record<string, unknown>) =>
    fetch(`${stack.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.gatewayKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  before(async () => {
    stack = await startTestStack(surfaceConfig);
    openai = new OpenAI({ apiKey: stack.gatewayKey, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
  });
  after(async () => stack?.stop());
  beforeEach(() => {
    stack.simulator.setFaults([]);
    stack.simulator.requests.length = 0;
  });

  it('reads createChatCompletion from the spec, and the table has an ordinary value for every field', () => {
    assert.ok(properties.length >= 35, `the spec lists ${properties.length} fields`);
    assert.deepEqual(
      properties.map(({ name }) => name).filter((name) => !(name in ordinaryValues)),
      [],
    );
    assert.ok(properties.filter(({ nullable }) => nullable).length >= 25);
  });

  for (const modelGroup of ['chat-default', 'claude']) {
    it(`${modelGroup}: accepts every field with an ordinary value, and with null where the spec allows it`, async () => {
      const refused: string[] = [];
      const unsaid: string[] = [];
      for (const { name, nullable } of properties) {
        const bodies = [
          { model: modelGroup, messages, ...ordinaryValues[name] },
          ...(nullable ? [{ model: modelGroup, messages, [name]: null }] : []),
        ];
        for (const body of bodies) {
          const response = await post(body);
          const text = await response.text();
          if (response.status !== 200)
            refused.push(
              `${name}=${JSON.stringify(body[name as keyof typeof body])}: ${response.status} ${text.slice(0, 200)}`,
            );
          const dropped = response.headers.get('x-gateway-dropped-params') ?? '';
          const expected =
            modelGroup === 'claude' && body[name as keyof typeof body] !== null ? droppedOnAnthropic[name] : undefined;
          if (expected && !dropped.split(', ').includes(expected)) unsaid.push(`${name}: header "${dropped}"`);
          if (modelGroup === 'chat-default' && dropped) unsaid.push(`${name}: OpenAI dropped "${dropped}"`);
        }
      }
      assert.deepEqual(refused, []);
      assert.deepEqual(unsaid, []);
    });
  }

  it('sends the OpenAI-wire fields to an OpenAI route as they came, and returns choices, logprobs, fingerprint, tier and reasoning tokens', async () => {
    const completion = await openai.chat.completions.create({
      model: 'chat-default',
      messages: [{ role: 'user', content: 'Hello surface' }],
      n: 2,
      seed: 7,
      frequency_penalty: 0.25,
      presence_penalty: 0.5,
      logprobs: true,
      top_logprobs: 2,
      logit_bias: { '50256': -100 },
      stop: 'END',
      reasoning_effort: 'high',
      metadata: { team: 'search' },
      user: 'user-42',
      safety_identifier: 'hashed-42',
      service_tier: 'flex',
      store: false,
      verbosity: 'low',
      prediction: { type: 'content', content: 'Hello' },
    });
    const sent = stack.simulator.lastRequest('openai/')?.body ?? {};
    assert.deepEqual(
      {
        n: sent.n,
        seed: sent.seed,
        frequency_penalty: sent.frequency_penalty,
        presence_penalty: sent.presence_penalty,
        logprobs: sent.logprobs,
        top_logprobs: sent.top_logprobs,
        logit_bias: sent.logit_bias,
        stop: sent.stop,
      },
      {
        n: 2,
        seed: 7,
        frequency_penalty: 0.25,
        presence_penalty: 0.5,
        logprobs: true,
        top_logprobs: 2,
        logit_bias: { '50256': -100 },
        stop: 'END',
      },
    );
    assert.deepEqual(
      {
        reasoning_effort: sent.reasoning_effort,
        metadata: sent.metadata,
        user: sent.user,
        safety_identifier: sent.safety_identifier,
        service_tier: sent.service_tier,
        store: sent.store,
        verbosity: sent.verbosity,
        prediction: sent.prediction,
      },
      {
        reasoning_effort: 'high',
        metadata: { team: 'search' },
        user: 'user-42',
        safety_identifier: 'hashed-42',
        service_tier: 'flex',
        store: false,
        verbosity: 'low',
        prediction: { type: 'content', content: 'Hello' },
      },
    );
    assert.equal(completion.choices.length, 2);
    assert.deepEqual(
      completion.choices.map((choice) => choice.index),
      [0, 1],
    );
    const logprobs = completion.choices[0]?.logprobs?.content ?? [];
    assert.ok(logprobs.length > 0 && logprobs.every((entry) => entry.top_logprobs.length === 2));
    assert.equal(completion.system_fingerprint, 'fp_simulator');
    assert.equal(completion.service_tier, 'flex');
    assert.ok((completion.usage?.completion_tokens_details?.reasoning_tokens ?? 0) > 0);

    await openai.chat.completions.create({
      model: 'chat-default',
      messages,
      tools: [weatherTool],
      tool_choice: 'required',
      parallel_tool_calls: false,
    });
    const withTools = stack.simulator.lastRequest('openai/')?.body ?? {};
    assert.deepEqual(
      { tool_choice: withTools.tool_choice, parallel_tool_calls: withTools.parallel_tool_calls },
      { tool_choice: 'required', parallel_tool_calls: false },
    );
  });

  it('turns the deprecated functions and function_call into tools, and allowed_tools into the tools it allows', async () => {
    const otherTool = {
      type: 'function' as const,
      function: { name: 'get_time', parameters: { type: 'object', properties: {} } },
    };
    await openai.chat.completions.create({
      model: 'claude',
      messages,
      functions: [weatherFunction],
      function_call: { name: 'get_weather' },
    });
    const legacy = stack.simulator.lastRequest('anthropic/')?.body ?? {};
    assert.deepEqual(
      (legacy.tools as Array<{ name: string }>).map((tool) => tool.name),
      ['get_weather'],
    );
    assert.deepEqual(legacy.tool_choice, { type: 'tool', name: 'get_weather' });
    await openai.chat.completions.create({
      model: 'claude',
      messages,
      tools: [weatherTool, otherTool],
      tool_choice: {
        type: 'allowed_tools',
        allowed_tools: { mode: 'required', tools: [{ type: 'function', function: { name: 'get_time' } }] },
      },
    });
    const allowed = stack.simulator.lastRequest('anthropic/')?.body ?? {};
    assert.deepEqual(
      (allowed.tools as Array<{ name: string }>).map((tool) => tool.name),
      ['get_time'],
    );
    assert.deepEqual(allowed.tool_choice, { type: 'any' });
  });

  it('translates for an Anthropic route: reasoning effort → thinking budget, stop → stop_sequences, user → metadata.user_id, parallel_tool_calls → disable_parallel_tool_use; drops what it cannot honour and says so', async () => {
    const { data: completion, response } = await openai.chat.completions
      .create({
        model: 'claude',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Think first' },
        ],
        max_completion_tokens: 4096,
        reasoning_effort: 'low',
        stop: ['END'],
        user: 'user-42',
        seed: 3,
        logprobs: true,
        tools: [weatherTool],
        parallel_tool_calls: false,
      })
      .withResponse();
    const sent = stack.simulator.lastRequest('anthropic/')?.body ?? {};
    assert.deepEqual(sent.thinking, { type: 'enabled', budget_tokens: 2048 });
    assert.deepEqual(sent.stop_sequences, ['END']);
    assert.deepEqual(sent.metadata, { user_id: 'user-42' });
    assert.deepEqual(sent.tool_choice, { type: 'auto', disable_parallel_tool_use: true });
    assert.equal(sent.max_tokens, 4096);
    for (const field of ['seed', 'logprobs', 'reasoning_effort', 'parallel_tool_calls', 'user', 'stop'])
      assert.equal(field in sent, false, field);
    assert.equal(response.headers.get('x-gateway-dropped-params'), 'logprobs, seed');
    // The simulated Claude thought first: its reasoning comes back beside the answer.
    const message = completion.choices[0]?.message as { reasoning_content?: string; tool_calls?: unknown[] };
    assert.equal(message.reasoning_content, 'Simulated thinking about: Think first');
    assert.equal(message.tool_calls?.length, 1);
  });

  it('translates for Claude on Bedrock (thinking through additionalModelRequestFields, metadata → requestMetadata) and drops reasoning for a model without it', async () => {
    const { response } = await openai.chat.completions
      .create({
        model: 'bedrock-claude',
        messages,
        max_tokens: 20_000,
        reasoning_effort: 'medium',
        metadata: { team: 'search' },
        user: 'user-42',
        frequency_penalty: 1,
      })
      .withResponse();
    const sent = stack.simulator.lastRequest(`bedrock/AKIDTESTBEDROCK/us-east-1/${bedrockClaudeModel}`)?.body ?? {};
    assert.deepEqual(sent.additionalModelRequestFields, { thinking: { type: 'enabled', budget_tokens: 8192 } });
    assert.deepEqual(sent.requestMetadata, { team: 'search', user: 'user-42' });
    assert.equal(response.headers.get('x-gateway-dropped-params'), 'frequency_penalty');

    const nova = await openai.chat.completions
      .create({ model: 'nova', messages, reasoning_effort: 'high' })
      .withResponse();
    assert.equal(nova.response.headers.get('x-gateway-dropped-params'), 'reasoning_effort');
    assert.equal('additionalModelRequestFields' in (stack.simulator.lastRequest('bedrock/')?.body ?? {}), false);
  });

  it('an inline PDF file part becomes an Anthropic document; a file_id, which only OpenAI can resolve, is named dropped', async () => {
    const pdf = Buffer.from('%PDF-1.4 simulated').toString('base64');
    const inline = await post({
      model: 'claude',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'file', file: { filename: 'a.pdf', file_data: `data:application/pdf;base64,${pdf}` } },
            { type: 'text', text: 'Summarise' },
          ],
        },
      ],
    });
    assert.equal(inline.status, 200);
    assert.equal(inline.headers.get('x-gateway-dropped-params'), null);
    const sent = stack.simulator.lastRequest('anthropic/')?.body as { messages: Array<{ content: unknown[] }> };
    assert.deepEqual(sent.messages[0]!.content[0], {
      type: 'document',
      source: { type: 'base64', media_type: 'application/pdf', data: pdf },
      title: 'a.pdf',
    });
    const byId = await post({
      model: 'claude',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'file', file: { file_id: 'file-abc' } },
            { type: 'text', text: 'Summarise' },
          ],
        },
      ],
    });
    assert.equal(byId.status, 200);
    assert.equal(byId.headers.get('x-gateway-dropped-params'), 'messages.content.file');
  });

  it('reports cached prompt tokens from a route with a cache breakpoint (explicit prompt_cache_breakpoint → Anthropic cache_control)', async () => {
    const request = {
      model: 'claude',
      messages: [
        {
          role: 'system' as const,
          content: [
            { type: 'text' as const, text: 'A long shared preamble.', prompt_cache_breakpoint: { mode: 'explicit' } },
          ],
        },
        { role: 'user' as const, content: 'Question one' },
      ],
    } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming;
    await openai.chat.completions.create(request);
    const sent = stack.simulator.lastRequest('anthropic/')?.body ?? {};
    assert.deepEqual(sent.system, [
      { type: 'text', text: 'A long shared preamble.', cache_control: { type: 'ephemeral' } },
    ]);
    const again = await openai.chat.completions.create(request);
    assert.ok((again.usage?.prompt_tokens_details?.cached_tokens ?? 0) > 0, 'the second call read the cache');
    // OpenAI itself gets the breakpoint back as it came.
    await openai.chat.completions.create({ ...request, model: 'chat-default' });
    const toOpenAI = stack.simulator.lastRequest('openai/')?.body as { messages: Array<{ content: unknown }> };
    assert.deepEqual(toOpenAI.messages[0]!.content, [
      { type: 'text', text: 'A long shared preamble.', prompt_cache_breakpoint: { mode: 'explicit' } },
    ]);
  });

  it('names the dropped fields on a stream too, in the header', async () => {
    const stream = await openai.chat.completions
      .create({ model: 'claude', messages, stream: true, seed: 1, n: 2 })
      .withResponse();
    assert.equal(stream.response.headers.get('x-gateway-dropped-params'), 'n, seed');
    let text = '';
    for await (const chunk of stream.data) text += chunk.choices[0]?.delta.content ?? '';
    assert.equal(text, 'Simulated reply to: Hello surface');
  });

  it('under unsupportedParameters: reject, refuses a field the route cannot honour with 400 naming it, before any provider call', async () => {
    await assert.rejects(
      openai.chat.completions.create({ model: 'claude-strict', messages, seed: 9 }),
      (error: unknown) =>
        error instanceof OpenAI.BadRequestError &&
        error.code === 'invalid_request' &&
        /seed/.test(error.message) &&
        /unsupportedParameters: reject/.test(error.message),
    );
    assert.equal(stack.simulator.requests.length, 0);
    const accepted = await openai.chat.completions
      .create({ model: 'claude-strict', messages, temperature: 0.3 })
      .withResponse();
    assert.equal(accepted.response.headers.get('x-gateway-dropped-params'), null);
  });

  it("refuses an unknown field and a wrong type with 400 in OpenAI's shape, naming the field", async () => {
    const unknown = await post({ model: 'chat-default', messages, temprature: 0.2 });
    assert.equal(unknown.status, 400);
    const unknownBody = (await unknown.json()) as { error: { message: string; param: string; type: string } };
    assert.equal(unknownBody.error.param, 'temprature');
    assert.match(unknownBody.error.message, /Unknown field\(s\): temprature/);
    const wrong = await post({ model: 'chat-default', messages, seed: 'seven' });
    assert.equal(wrong.status, 400);
    assert.equal(((await wrong.json()) as { error: { param: string } }).error.param, 'seed');
    const outOfRange = await post({ model: 'chat-default', messages, top_logprobs: 21 });
    assert.equal(((await outOfRange.json()) as { error: { param: string } }).error.param, 'top_logprobs');
  });
});
