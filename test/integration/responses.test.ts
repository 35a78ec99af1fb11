import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import type { GatewayConfig } from '../../src/config/gateway-config-schema';
import { parseConfig } from '../../src/config/load-config';
import type { RunningSimulator } from '../../src/simulator/start-simulator';
import { requestProperties } from '../helpers/openai-spec';
import { surfaceConfig } from '../helpers/surface-config';
import { gatewayOpenAI, simulatorRoutes, useTestStack } from '../helpers/test-gateway';

const weatherTool: OpenAI.Responses.FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: null,
};

/** The surface groups (embedding groups among them) plus `failover`: an OpenAI route first, an Anthropic one behind it. */
function responsesConfig(simulator: RunningSimulator): GatewayConfig {
  const base = surfaceConfig(simulator);
  return parseConfig({
    ...base,
    modelGroups: [
      ...base.modelGroups,
      {
        name: 'failover',
        deployments: [
          { provider: 'openai', model: 'flaky-gpt', account: 'primary', region: 'us', priority: 0 },
          { provider: 'anthropic', model: 'steady-claude', account: 'anthropic-main', region: 'us', priority: 1 },
        ],
      },
    ],
  });
}

/**
 * An ordinary value for each field of createResponse, with the companions it needs. The walk
 * below fails when the spec has a field this table lacks, so a new field cannot go untested.
 */
const ordinaryValues: Record<string, Record<string, unknown>> = {
  model: {},
  input: {},
  metadata: { metadata: { team: 'search' } },
  top_logprobs: { top_logprobs: 2, include: ['message.output_text.logprobs'] },
  temperature: { temperature: 0.7 },
  top_p: { top_p: 0.9 },
  user: { user: 'user-42' },
  safety_identifier: { safety_identifier: 'hashed-42' },
  prompt_cache_key: { prompt_cache_key: 'conversation-7' },
  prompt_cache_retention: { prompt_cache_retention: '24h' },
  prompt_cache_options: { prompt_cache_options: { ttl: '30m', mode: 'explicit' } },
  previous_response_id: {},
  background: { background: false },
  max_tool_calls: { tools: [weatherTool], max_tool_calls: 2 },
  text: { text: { format: { type: 'json_object' }, verbosity: 'low' } },
  tools: { tools: [weatherTool] },
  tool_choice: { tools: [weatherTool], tool_choice: { type: 'function', name: 'get_weather' } },
  prompt: { prompt: { id: 'pmpt_1', version: '2' } },
  service_tier: { service_tier: 'flex' },
  truncation: { truncation: 'disabled' },
  reasoning: { reasoning: { effort: 'low', summary: 'auto' } },
  include: { include: ['reasoning.encrypted_content'] },
  parallel_tool_calls: { tools: [weatherTool], parallel_tool_calls: false },
  store: { store: false },
  instructions: { instructions: 'Be brief.' },
  moderation: { moderation: { model: 'omni-moderation-latest', policy: null } },
  stream: { stream: true },
  stream_options: { stream: true, stream_options: { include_obfuscation: false } },
  conversation: {},
  context_management: { context_management: [{ type: 'compaction', compact_threshold: 1000 }] },
  max_output_tokens: { max_output_tokens: 256 },
};

const messageText = (response: OpenAI.Responses.Response) =>
  response.output
    .flatMap((item) =>
      item.type === 'message' ? item.content.map((part) => (part.type === 'output_text' ? part.text : '')) : [],
    )
    .join('');

describe('POST /v1/responses (OpenAI Responses API) through a real Temporal server', () => {
  const post = (body: Record<string, unknown>) =>
    fetch(`${suite.stack.gateway.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${suite.stack.gatewayKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  const suite = useTestStack(responsesConfig);

  for (const route of simulatorRoutes) {
    it(`${route.modelGroup} → ${route.provider}: responses.create answers a response object with a message item and usage`, async () => {
      const { data: response, response: http } = await suite.openai.responses
        .create({
          model: route.modelGroup,
          instructions: 'Be brief.',
          input: `hello ${route.provider}`,
          max_output_tokens: 64,
          temperature: 0.5,
        })
        .withResponse();
      assert.match(response.id, /^resp_inf-/);
      assert.equal(response.object, 'response');
      assert.equal(response.status, 'completed');
      assert.equal(response.model, route.modelGroup);
      assert.equal(response.instructions, 'Be brief.');
      assert.equal(response.temperature, 0.5);
      assert.equal(response.max_output_tokens, 64);
      assert.equal(response.output.length, 1);
      const [item] = response.output;
      assert.equal(item?.type, 'message');
      assert.equal(item.type === 'message' && item.role, 'assistant');
      assert.equal(messageText(response), `Simulated reply to: hello ${route.provider}`);
      assert.equal(response.output_text, messageText(response), 'the SDK assembles output_text from the items');
      assert.ok(response.usage && response.usage.input_tokens > 0 && response.usage.output_tokens > 0);
      assert.equal(response.usage.total_tokens, response.usage.input_tokens + response.usage.output_tokens);
      assert.equal(typeof response.usage.input_tokens_details.cached_tokens, 'number');
      assert.equal(
        response.usage.input_tokens_details.cache_write_tokens,
        0,
        'required by the spec, 0 with no cache write',
      );
      assert.equal(typeof response.usage.output_tokens_details.reasoning_tokens, 'number');
      assert.equal(http.headers.get('x-gateway-provider'), route.provider);
      assert.equal(`resp_${http.headers.get('x-gateway-inference-id')}`, response.id);
      assert.equal(suite.stack.simulator.callCount(route.counter), 1);
    });

    it(`${route.modelGroup} → ${route.provider}: a function tool round trip (function_call, then function_call_output)`, async () => {
      const input: OpenAI.Responses.ResponseInputItem[] = [
        { role: 'user', content: [{ type: 'input_text', text: 'What is the weather in Paris?' }] },
      ];
      const first = await suite.openai.responses.create({
        model: route.modelGroup,
        input,
        tools: [weatherTool],
        tool_choice: 'auto',
        parallel_tool_calls: false,
      });
      const call = first.output.find(
        (item): item is OpenAI.Responses.ResponseFunctionToolCall => item.type === 'function_call',
      );
      assert.ok(call, `a function_call item in ${JSON.stringify(first.output)}`);
      assert.equal(call.name, 'get_weather');
      assert.ok(call.call_id);
      assert.match(call.id ?? '', /^fc_inf-/);
      assert.deepEqual(JSON.parse(call.arguments), { city: 'sample city' });
      assert.equal(first.tools[0]?.type === 'function' && first.tools[0].name, 'get_weather', 'the tools are echoed');

      const second = await suite.openai.responses.create({
        model: route.modelGroup,
        input: [
          ...input,
          ...(first.output as OpenAI.Responses.ResponseInputItem[]),
          { type: 'function_call_output', call_id: call.call_id, output: '18°C and sunny' },
        ],
        tools: [weatherTool],
      });
      assert.equal(second.status, 'completed');
      assert.equal(second.output_text, 'Simulated answer using the tool result: 18°C and sunny');
    });
  }

  for (const route of simulatorRoutes.slice(0, 3)) {
    it(`${route.modelGroup} → ${route.provider}: stream: true sends the Responses events in order, numbered, and the deltas make the text`, async () => {
      const stream = await suite.openai.responses.create({
        model: route.modelGroup,
        input: `stream from ${route.provider}`,
        stream: true,
      });
      const events: OpenAI.Responses.ResponseStreamEvent[] = [];
      for await (const event of stream) events.push(event);
      const types = events.map((event) => event.type);
      const deltas = events.filter((event) => event.type === 'response.output_text.delta');
      assert.ok(deltas.length > 2, 'the text arrived in pieces');
      assert.deepEqual(types, [
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.content_part.added',
        ...deltas.map(() => 'response.output_text.delta'),
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.completed',
      ]);
      assert.deepEqual(
        events.map((event) => event.sequence_number),
        events.map((_, index) => index),
      );
      const text = deltas.map((event) => event.delta).join('');
      assert.equal(text, `Simulated reply to: stream from ${route.provider}`);
      const done = events.find((event) => event.type === 'response.output_text.done');
      assert.equal(done?.text, text);
      const completed = events.at(-1);
      assert.ok(completed?.type === 'response.completed');
      assert.equal(completed.response.status, 'completed');
      assert.equal(messageText(completed.response), text);
      assert.ok(completed.response.usage && completed.response.usage.output_tokens > 0);
      const created = events[0];
      assert.ok(created?.type === 'response.created');
      assert.equal(created.response.id, completed.response.id);
      assert.equal(created.response.status, 'in_progress');
    });

    it(`${route.modelGroup} → ${route.provider}: responses.stream() streams a function call's arguments and gives the final response`, async () => {
      const stream = suite.openai.responses.stream({
        model: route.modelGroup,
        input: 'weather in Paris?',
        tools: [weatherTool],
      });
      const types: string[] = [];
      const argumentDeltas: string[] = [];
      stream.on('event', (event) => types.push(event.type));
      stream.on('response.function_call_arguments.delta', (event) => argumentDeltas.push(event.delta));
      const final = await stream.finalResponse();
      const call = final.output.find((item) => item.type === 'function_call');
      assert.ok(call?.type === 'function_call');
      assert.equal(call.name, 'get_weather');
      assert.deepEqual(JSON.parse(call.arguments), { city: 'sample city' });
      assert.equal(argumentDeltas.join(''), call.arguments);
      assert.deepEqual(
        types.filter((type) => !type.endsWith('.delta')),
        [
          'response.created',
          'response.in_progress',
          'response.output_item.added',
          'response.function_call_arguments.done',
          'response.output_item.done',
          'response.completed',
        ],
      );
    });
  }

  it('text.format json_schema reaches an OpenAI route as the json_schema response format, and Anthropic as an instruction', async () => {
    const schema = {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    };
    const text = { format: { type: 'json_schema' as const, name: 'place', schema, strict: true } };
    const response = await suite.openai.responses.create({ model: 'chat-default', input: 'Name a city', text });
    assert.equal(response.status, 'completed');
    assert.deepEqual(response.text?.format, text.format, 'the format is echoed');
    const body = suite.stack.simulator.lastRequest('openai/primary')?.body as { response_format?: unknown };
    assert.deepEqual(body.response_format, {
      type: 'json_schema',
      json_schema: { name: 'place', schema, strict: true },
    });

    await suite.openai.responses.create({ model: 'claude', input: 'Name a city', text });
    const anthropicBody = JSON.stringify(suite.stack.simulator.lastRequest('anthropic/')?.body);
    assert.match(anthropicBody, /JSON Schema/);
  });

  it('reasoning.effort, metadata, user and the OpenAI-only fields reach an OpenAI route; an Anthropic route names what it dropped', async () => {
    const fields = {
      reasoning: { effort: 'low' as const },
      metadata: { team: 'search' },
      user: 'user-42',
      safety_identifier: 'hashed-42',
      service_tier: 'flex' as const,
      prompt_cache_key: 'conv-7',
      text: { verbosity: 'low' as const },
    };
    await suite.openai.responses.create({ model: 'chat-default', input: 'hi', ...fields });
    const body = suite.stack.simulator.lastRequest('openai/primary')?.body as Record<string, unknown>;
    assert.equal(body.reasoning_effort, 'low');
    assert.deepEqual(body.metadata, { team: 'search' });
    assert.equal(body.user, 'user-42');
    assert.equal(body.safety_identifier, 'hashed-42');
    assert.equal(body.service_tier, 'flex');
    assert.equal(body.prompt_cache_key, 'conv-7');
    assert.equal(body.verbosity, 'low');

    const { response: http } = await suite.openai.responses
      .create({ model: 'claude', input: 'hi', ...fields })
      .withResponse();
    const dropped = (http.headers.get('x-gateway-dropped-params') ?? '').split(', ');
    for (const field of ['metadata', 'service_tier', 'prompt_cache_key', 'verbosity'])
      assert.ok(dropped.includes(field), `${field} in "${dropped.join(', ')}"`);
  });

  for (const stream of [false, true]) {
    it(`claude → anthropic: reasoning comes back as a reasoning item${stream ? ' (streamed)' : ''}, and its encrypted_content carries the signed thinking into the next turn`, async () => {
      const input: OpenAI.Responses.ResponseInputItem[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
      const settings = {
        model: 'claude',
        reasoning: { effort: 'low' as const, summary: 'auto' as const },
        max_output_tokens: 8192,
        tools: [weatherTool],
        include: ['reasoning.encrypted_content' as const],
      };
      const first = stream
        ? await suite.openai.responses.stream({ ...settings, input }).finalResponse()
        : await suite.openai.responses.create({ ...settings, input });
      assert.deepEqual(
        first.output.map((item) => item.type),
        ['reasoning', 'function_call'],
      );
      const reasoning = first.output[0] as OpenAI.Responses.ResponseReasoningItem;
      assert.match(reasoning.id, /^rs_inf-/);
      assert.ok(reasoning.summary[0]?.text, 'the thinking as a summary part');
      assert.match(reasoning.encrypted_content ?? '', /^gw1\./);
      const call = first.output[1] as OpenAI.Responses.ResponseFunctionToolCall;

      const second = await suite.openai.responses.create({
        ...settings,
        input: [
          ...input,
          ...(first.output as OpenAI.Responses.ResponseInputItem[]),
          { type: 'function_call_output', call_id: call.call_id, output: '18°C and sunny' },
        ],
      });
      assert.equal(second.output_text, 'Simulated answer using the tool result: 18°C and sunny');
      const sent = suite.stack.simulator.lastRequest('anthropic/')?.body as {
        messages: Array<{ role: string; content: Array<{ type: string; thinking?: string; signature?: string }> }>;
      };
      const assistant = sent.messages.find((message) => message.role === 'assistant');
      assert.deepEqual(
        assistant?.content.map((block) => block.type),
        ['thinking', 'tool_use'],
        'the thinking block leads the tool-use turn, as Anthropic requires',
      );
      assert.equal(assistant?.content[0]?.thinking, reasoning.summary[0]?.text);
      assert.ok(assistant?.content[0]?.signature, 'with its signature (the simulator refuses an altered one)');
      const sentBack = JSON.stringify(sent.messages);
      assert.ok(!sentBack.includes('gw1.'), 'the encoded reasoning is not sent to the provider as text');
    });
  }

  it('a fallback before the first token is invisible, whole and streamed', async () => {
    suite.stack.simulator.setFaults([{ match: { model: 'flaky-gpt' }, error: 'server_error' }]);
    const { data: response, response: http } = await suite.openai.responses
      .create({ model: 'failover', input: 'survive this' })
      .withResponse();
    assert.equal(response.output_text, 'Simulated reply to: survive this');
    assert.equal(http.headers.get('x-gateway-provider'), 'anthropic');
    assert.equal(http.headers.get('x-gateway-fallback'), 'true');

    const final = await suite.openai.responses.stream({ model: 'failover', input: 'survive this too' }).finalResponse();
    assert.equal(final.status, 'completed');
    assert.equal(messageText(final), 'Simulated reply to: survive this too');
    assert.ok(suite.stack.simulator.callCount('openai/primary/us/flaky-gpt') >= 2);
  });

  it('ends a stream interrupted after its first token with response.failed, never response.completed', async () => {
    suite.stack.simulator.setFaults([{ match: { provider: 'anthropic' }, error: 'stream_interrupted' }]);
    const stream = await suite.openai.responses.create({
      model: 'claude',
      input: 'a long answer that will break halfway',
      stream: true,
    });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    assert.ok(
      events.some((event) => event.type === 'response.output_text.delta'),
      'part of the answer arrived',
    );
    const last = events.at(-1);
    assert.ok(last?.type === 'response.failed', `last event ${last?.type}`);
    assert.equal(last.response.status, 'failed');
    assert.equal(last.response.error?.code, 'stream_interrupted');
    assert.ok(!events.some((event) => event.type === 'response.completed'));
  });

  it('previous_response_id continues a conversation read back from Temporal; store: false and unknown ids get 400', async () => {
    const first = await suite.openai.responses.create({
      model: 'chat-default',
      instructions: 'Old instructions.',
      input: 'My name is Ada.',
    });
    const second = await suite.openai.responses.create({
      model: 'claude',
      previous_response_id: first.id,
      instructions: 'New instructions.',
      input: 'What is my name?',
    });
    assert.equal(second.previous_response_id, first.id);
    assert.equal(second.output_text, 'Simulated reply to: What is my name?');
    const sent = suite.stack.simulator.lastRequest('anthropic/')?.body as {
      system?: unknown;
      messages: Array<{ role: string; content: unknown }>;
    };
    assert.deepEqual(
      sent.messages.map((message) => message.role),
      ['user', 'assistant', 'user'],
    );
    assert.match(JSON.stringify(sent.messages[0]), /My name is Ada/);
    assert.match(JSON.stringify(sent.messages[1]), /Simulated reply to: My name is Ada/);
    assert.match(JSON.stringify(sent.system), /New instructions/);
    assert.doesNotMatch(JSON.stringify(sent), /Old instructions/, 'instructions are not carried over');

    // An item of an earlier response, by reference.
    await suite.openai.responses.create({
      model: 'chat-default',
      input: [
        { type: 'item_reference', id: first.output[0]!.id! },
        { role: 'user', content: 'again' },
      ],
    });
    const referenced = suite.stack.simulator.lastRequest('openai/primary')?.body as {
      messages: Array<{ role: string; content: unknown }>;
    };
    assert.deepEqual(
      referenced.messages.map((message) => message.role),
      ['assistant', 'user'],
    );
    assert.match(JSON.stringify(referenced.messages[0]), /Simulated reply to: My name is Ada/);

    const unstored = await suite.openai.responses.create({ model: 'chat-default', input: 'forget me', store: false });
    assert.equal((unstored as unknown as { store: boolean }).store, false, 'store is echoed');
    // An embedding inference is no response: it has no conversation to continue.
    const embedding = await suite.openai.embeddings
      .create({ model: 'embed-openai', input: 'not a conversation' })
      .withResponse();
    const embeddingId = `resp_${embedding.response.headers.get('x-gateway-inference-id')}`;
    for (const previous of [unstored.id, embeddingId, 'resp_inf-00000000-0000-0000-0000-000000000000', 'resp_abc']) {
      await assert.rejects(
        suite.openai.responses.create({ model: 'chat-default', previous_response_id: previous, input: 'next' }),
        (error: unknown) => {
          assert.ok(error instanceof OpenAI.BadRequestError, String(error));
          assert.equal(error.param, 'previous_response_id');
          assert.equal(error.code, 'previous_response_not_found');
          return true;
        },
      );
    }
    // Another tenant cannot continue this tenant's response.
    const other = gatewayOpenAI(suite.stack, suite.stack.otherTenantKey);
    await assert.rejects(
      other.responses.create({ model: 'chat-default', previous_response_id: first.id, input: 'next' }),
      OpenAI.BadRequestError,
    );
  });

  it("accepts every field of createResponse in OpenAI's spec with an ordinary value, and with null where the spec allows it", async () => {
    const properties = requestProperties('CreateResponse');
    assert.ok(properties.length >= 30, `the spec lists ${properties.length} fields`);
    assert.deepEqual(
      properties.map(({ name }) => name).filter((name) => !(name in ordinaryValues)),
      [],
    );
    const refused: string[] = [];
    for (const modelGroup of ['chat-default', 'claude']) {
      for (const { name, nullable } of properties) {
        const bodies = [
          { model: modelGroup, input: 'Hello surface', ...ordinaryValues[name] },
          ...(nullable ? [{ model: modelGroup, input: 'Hello surface', [name]: null }] : []),
        ];
        for (const body of bodies) {
          const what = `${modelGroup} ${name}=${JSON.stringify(body[name as keyof typeof body])}`;
          try {
            const response = await post(body);
            const text = await response.text();
            if (response.status !== 200) refused.push(`${what}: ${response.status} ${text.slice(0, 200)}`);
          } catch (error) {
            refused.push(`${what}: ${String(error)} (${String((error as Error).cause)})`);
          }
        }
      }
    }
    assert.deepEqual(refused, []);
  });

  it('previous_response_id reads back an input large enough to sit in payload storage', async () => {
    const large = `Remember this. ${'x'.repeat(150 * 1024)}`;
    const first = await suite.openai.responses.create({ model: 'chat-default', input: large });
    await suite.openai.responses.create({
      model: 'chat-default',
      previous_response_id: first.id,
      input: 'What did I say?',
    });
    const sent = suite.stack.simulator.lastRequest('openai/primary')?.body as {
      messages: Array<{ role: string; content: unknown }>;
    };
    assert.deepEqual(
      sent.messages.map((message) => message.role),
      ['user', 'assistant', 'user'],
    );
    assert.equal(sent.messages[0]?.content, large);
  });

  it("refuses bad input with 400 in OpenAI's shape, naming the field", async () => {
    const cases: Array<{ body: Record<string, unknown>; param: string; message: RegExp }> = [
      {
        body: { model: 'chat-default', input: 'hi', temprature: 0.2 },
        param: 'temprature',
        message: /Unknown field\(s\): temprature/,
      },
      {
        body: { model: 'chat-default', input: 'hi', temperature: 'hot' },
        param: 'temperature',
        message: /temperature/,
      },
      {
        body: { model: 'chat-default', input: 'hi', max_output_tokens: 4 },
        param: 'max_output_tokens',
        message: /max_output_tokens/,
      },
      { body: { input: 'hi' }, param: 'model', message: /model/ },
      {
        body: { model: 'chat-default', input: [{ role: 'user', content: [{ type: 'input_text', txt: 'hi' }] }] },
        param: 'input.0.content.0.txt',
        message: /Unknown field\(s\): input.0.content.0.txt/,
      },
      {
        body: { model: 'chat-default', input: [{ type: 'function_call_output', output: '18°C' }] },
        param: 'input.0.call_id',
        message: /call_id/,
      },
      {
        body: { model: 'chat-default', input: [{ type: 'telepathy_call' }] },
        param: 'input.0.type',
        message: /not a type this field takes/,
      },
      {
        body: { model: 'chat-default', input: 'hi', tools: [{ type: 'function', name: 'f', paramters: {} }] },
        param: 'tools.0.paramters',
        message: /Unknown field/,
      },
      { body: { model: 'chat-default' }, param: 'input', message: /input is required/ },
      {
        body: { model: 'chat-default', input: 'hi', conversation: 'conv_1' },
        param: 'conversation',
        message: /keeps no conversations/,
      },
      {
        body: { model: 'chat-default', input: [{ type: 'item_reference', id: 'msg_unknown' }] },
        param: 'input',
        message: /Item with id 'msg_unknown' not found/,
      },
      {
        body: { model: 'claude-strict', input: 'hi', background: true },
        param: 'background',
        message: /cannot honour background/,
      },
    ];
    for (const { body, param, message } of cases) {
      const response = await post(body);
      assert.equal(response.status, 400, JSON.stringify(body));
      const { error } = (await response.json()) as { error: { message: string; type: string; param: string | null } };
      assert.equal(error.type, 'invalid_request_error');
      assert.equal(error.param, param, JSON.stringify(error));
      assert.match(error.message, message);
    }
    assert.equal(suite.stack.simulator.callCount(), 0, 'no provider was called');

    const unknownModel = await post({ model: 'no-such-group', input: 'hi' });
    assert.equal(unknownModel.status, 404);
    assert.equal(((await unknownModel.json()) as { error: { code: string } }).error.code, 'model_not_found');
  });

  it('drops the fields no route can honour under the drop policy, and says so in x-gateway-dropped-params', async () => {
    const response = await post({
      model: 'chat-default',
      input: 'hi',
      background: false,
      max_tool_calls: 3,
      truncation: 'auto',
      include: ['file_search_call.results'],
      tools: [{ type: 'web_search' }],
    });
    assert.equal(response.status, 200, await response.clone().text());
    assert.equal(
      response.headers.get('x-gateway-dropped-params'),
      'tools.web_search, max_tool_calls, truncation, include.file_search_call.results',
    );
    const streamed = await post({ model: 'chat-default', input: 'hi', max_tool_calls: 3, stream: true });
    assert.equal(streamed.headers.get('x-gateway-dropped-params'), 'max_tool_calls');
    assert.match(await streamed.text(), /event: response.completed/);
  });
});
