import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readItemId } from './responses-item-ids';
import { responsesBodySchema } from './responses-schema';
import { responsesToChatRequest, type EarlierItems } from './responses-to-chat-request';

const none: EarlierItems = { conversation: [], items: new Map() };
const translate = (body: Record<string, unknown>, earlier = none) =>
  responsesToChatRequest(responsesBodySchema.parse({ model: 'm', ...body }), earlier);

describe('responsesToChatRequest', () => {
  it('puts instructions first, turns developer into system, and keeps parts, files and images', () => {
    const { request, unsupported } = translate({
      instructions: 'Be brief.',
      input: [
        { role: 'developer', content: 'House rules.' },
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'Look:', prompt_cache_breakpoint: { mode: 'explicit' } },
            { type: 'input_image', image_url: 'https://example.test/cat.png', detail: 'low' },
            { type: 'input_file', filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBE' },
          ],
        },
      ],
    });
    assert.deepEqual(unsupported, []);
    assert.deepEqual(request.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'system', content: 'House rules.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look:', cache_control: { type: 'ephemeral' } },
          { type: 'image_url', image_url: { url: 'https://example.test/cat.png', detail: 'low' } },
          { type: 'file', file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBE' } },
        ],
      },
    ]);
  });

  it('joins an output message and its function calls into one assistant turn, followed by the tool results', () => {
    const { request } = translate({
      input: [
        { role: 'user', content: 'weather?' },
        {
          type: 'message',
          id: 'msg_1',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Checking.', annotations: [], logprobs: [] }],
        },
        {
          type: 'function_call',
          id: 'fc_1',
          call_id: 'call_a',
          name: 'get_weather',
          arguments: '{"city":"Paris"}',
          status: 'completed',
        },
        { type: 'function_call', call_id: 'call_b', name: 'get_weather', arguments: '{"city":"Lyon"}' },
        { type: 'function_call_output', call_id: 'call_a', output: '18°C' },
        { type: 'function_call_output', call_id: 'call_b', output: [{ type: 'input_text', text: '20°C' }] },
      ],
    });
    assert.deepEqual(request.messages, [
      { role: 'user', content: 'weather?' },
      {
        role: 'assistant',
        content: [{ type: 'text', text: 'Checking.' }],
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_b', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: '18°C' },
      { role: 'tool', tool_call_id: 'call_b', content: [{ type: 'text', text: '20°C' }] },
    ]);
  });

  it('maps flat function tools, tool_choice, text.format, reasoning, sampling and the OpenAI-only fields', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const { request, unsupported } = translate({
      input: 'hi',
      tools: [
        { type: 'function', name: 'one', description: 'first', parameters: schema, strict: true },
        { type: 'function', name: 'two', parameters: null, strict: null },
      ],
      tool_choice: { type: 'allowed_tools', mode: 'required', tools: [{ type: 'function', name: 'two' }] },
      text: { format: { type: 'json_schema', name: 'out', schema, strict: true }, verbosity: 'low' },
      reasoning: { effort: 'high' },
      max_output_tokens: 300,
      temperature: 0.2,
      top_p: null,
      parallel_tool_calls: false,
      safety_identifier: 'h-1',
      service_tier: 'flex',
      include: ['message.output_text.logprobs'],
      top_logprobs: 3,
      store: false,
    });
    assert.deepEqual(unsupported, []);
    assert.deepEqual(request.tools, [
      { type: 'function', function: { name: 'two', parameters: { type: 'object', properties: {} } } },
    ]);
    assert.equal(request.tool_choice, 'required');
    assert.deepEqual(request.response_format, {
      type: 'json_schema',
      json_schema: { name: 'out', schema, strict: true },
    });
    assert.equal(request.reasoning_effort, 'high');
    assert.equal(request.max_tokens, 300);
    assert.equal(request.temperature, 0.2);
    assert.equal('top_p' in request, false, 'null means not set');
    assert.equal(request.parallel_tool_calls, false);
    assert.equal(request.end_user, 'h-1');
    assert.deepEqual(request.openai, { service_tier: 'flex', verbosity: 'low' });
    assert.equal(request.logprobs, true);
    assert.equal(request.top_logprobs, 3);
    assert.deepEqual(request.responses, { store: false });
  });

  it('names what no route can honour: hosted tools and items, background, prompts, truncation, other includes', () => {
    const { request, unsupported } = translate({
      input: [
        { role: 'user', content: 'hi' },
        { type: 'reasoning', id: 'rs_1', summary: [] },
        { type: 'web_search_call', id: 'ws_1', status: 'completed' },
      ],
      tools: [{ type: 'web_search' }],
      tool_choice: { type: 'file_search' },
      background: true,
      prompt: { id: 'pmpt_1' },
      truncation: 'auto',
      max_tool_calls: 2,
      include: ['file_search_call.results'],
    });
    assert.deepEqual(unsupported, [
      'input.reasoning',
      'input.web_search_call',
      'tools.web_search',
      'tool_choice',
      'background',
      'max_tool_calls',
      'truncation',
      'prompt',
      'include.file_search_call.results',
    ]);
    assert.deepEqual(request.responses?.unsupported, unsupported);
    assert.deepEqual(request.messages, [{ role: 'user', content: 'hi' }]);
  });

  it('continues an earlier conversation and places a referenced function call in its assistant turn', () => {
    const earlier: EarlierItems = {
      conversation: [
        { role: 'user', content: 'My name is Ada.' },
        { role: 'assistant', content: 'Hello Ada.' },
      ],
      items: new Map([
        [
          'fc_inf-1_0',
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'call_x', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
        ],
      ]),
    };
    const { request } = translate(
      {
        instructions: 'New.',
        input: [
          { type: 'item_reference', id: 'fc_inf-1_0' },
          { type: 'function_call_output', call_id: 'call_x', output: 'ok' },
        ],
      },
      earlier,
    );
    // Assistant items in a row are one assistant turn, as in OpenAI's own conversation model.
    assert.deepEqual(
      request.messages.map((message) => message.role),
      ['system', 'user', 'assistant', 'tool'],
    );
    assert.equal(request.messages[2]?.content, 'Hello Ada.');
    assert.equal(request.messages[2]?.tool_calls?.[0]?.id, 'call_x');
  });

  it('rejects unknown fields and unknown item types by name', () => {
    const unknown = responsesBodySchema.safeParse({ model: 'm', input: 'hi', frobnicate: 1 });
    assert.equal(unknown.success, false);
    assert.deepEqual(unknown.error?.issues[0]?.code, 'unrecognized_keys');
    assert.equal(responsesBodySchema.safeParse({ model: 'm', input: [{ type: 'telepathy_call' }] }).success, false);
    assert.equal(
      responsesBodySchema.safeParse({
        model: 'm',
        input: [{ role: 'user', content: [{ type: 'input_text', text: 'x', colour: 'red' }] }],
      }).success,
      false,
    );
  });
});

describe('readItemId', () => {
  it('reads the inference behind response and item ids, and refuses ids the gateway did not make', () => {
    assert.deepEqual(readItemId('resp_inf-abc-123'), { inferenceId: 'inf-abc-123', kind: 'response' });
    assert.deepEqual(readItemId('msg_inf-idem-0f'), { inferenceId: 'inf-idem-0f', kind: 'message' });
    assert.deepEqual(readItemId('fc_inf-abc_2'), { inferenceId: 'inf-abc', kind: 'function_call', index: 2 });
    for (const id of ['resp_abc', 'fc_inf-abc', 'msg_inf-abc_1', 'chatcmpl-inf-1', 'resp_'])
      assert.equal(readItemId(id), undefined, id);
  });
});
