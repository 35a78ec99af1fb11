import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InferenceResult } from '../workflows/inference-types';
import { messagesBodySchema } from './messages-schema';
import { messagesToChatRequest } from './messages-to-chat-request';
import { toAnthropicMessage } from './to-anthropic-message';

describe('Anthropic Messages ↔ canonical', () => {
  it('translates system, images, tool_use and tool_result blocks, tools, tool_choice and sampling', () => {
    const body = messagesBodySchema.parse({
      model: 'claude',
      max_tokens: 300,
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
      stop_sequences: ['END'],
      temperature: 0.2,
      top_p: 0.9,
      metadata: { user_id: 'user-7' },
      tools: [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      tool_choice: { type: 'any' },
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather here?' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Checking.', citations: null }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Lyon' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '18°C' }] }, { type: 'text', text: 'And tomorrow?' }] },
      ],
    });
    assert.deepEqual(JSON.parse(JSON.stringify(messagesToChatRequest(body))), {
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Weather here?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] },
        { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } }] },
        { role: 'tool', tool_call_id: 'toolu_1', content: '18°C' },
        { role: 'user', content: [{ type: 'text', text: 'And tomorrow?' }] },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      tool_choice: 'required',
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 300,
      stop: ['END'],
      user: 'user-7',
    });
  });

  it('rejects what it cannot honour by name, and requires max_tokens', () => {
    const base = { model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
    assert.equal(messagesBodySchema.safeParse({ ...base, thinking: { type: 'enabled', budget_tokens: 1024 } }).success, false);
    assert.equal(messagesBodySchema.safeParse({ ...base, max_tokens: undefined }).success, false);
    assert.equal(messagesBodySchema.safeParse(base).success, true);
  });

  it('answers with an Anthropic message: blocks, stop_reason and usage without the cached tokens', () => {
    const result = {
      response: {
        id: 'msg_1', created: 0, model: 'gpt', content: 'Checking.', finishReason: 'tool_calls',
        toolCalls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } }],
        usage: { promptTokens: 50, completionTokens: 9, totalTokens: 59, cachedPromptTokens: 20 },
      },
    } as unknown as InferenceResult;
    assert.deepEqual(toAnthropicMessage(result, 'claude'), {
      id: 'msg_1', type: 'message', role: 'assistant', model: 'claude',
      content: [{ type: 'text', text: 'Checking.', citations: null }, { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Lyon' } }],
      stop_reason: 'tool_use', stop_sequence: null,
      usage: { input_tokens: 30, output_tokens: 9, cache_creation_input_tokens: null, cache_read_input_tokens: 20 },
    });
  });
});
