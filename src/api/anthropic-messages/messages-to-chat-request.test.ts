import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InferenceResult } from '../../workflows/inference-types';
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
      tools: [
        {
          name: 'get_weather',
          description: 'Weather',
          input_schema: { type: 'object', properties: { city: { type: 'string' } } },
        },
      ],
      tool_choice: { type: 'any' },
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather here?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking.', citations: null },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Lyon' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: '18°C' }] },
            { type: 'text', text: 'And tomorrow?' },
          ],
        },
      ],
    });
    assert.deepEqual(JSON.parse(JSON.stringify(messagesToChatRequest(body))), {
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather here?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: '18°C' },
        { role: 'user', content: [{ type: 'text', text: 'And tomorrow?' }] },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        },
      ],
      tool_choice: 'required',
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 300,
      stop: ['END'],
      user: 'user-7',
    });
  });

  it('refuses an unknown field or a wrong type by name, and requires max_tokens', () => {
    const base = { model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
    assert.equal(
      messagesBodySchema.safeParse({ ...base, thinking: { type: 'enabled', budget_tokens: 1024 } }).success,
      true,
    );
    assert.equal(
      messagesBodySchema.safeParse({ ...base, thinking: { type: 'enabled', budget_tokens: 'lots' } }).success,
      false,
    );
    assert.equal(messagesBodySchema.safeParse({ ...base, top_k: 'five' }).success, false);
    assert.equal(messagesBodySchema.safeParse({ ...base, not_a_field: 1 }).success, false);
    assert.equal(messagesBodySchema.safeParse({ ...base, max_tokens: undefined }).success, false);
    assert.equal(messagesBodySchema.safeParse(base).success, true);
  });

  it('carries thinking blocks with signatures, cache breakpoints, is_error, top_k, thinking, the beta flags and the Anthropic-only fields', () => {
    const body = messagesBodySchema.parse({
      model: 'claude',
      max_tokens: 2048,
      top_k: 5,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
      output_config: { effort: 'high' },
      tools: [{ name: 'lookup', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral', ttl: '1h' } }],
      messages: [
        { role: 'user', content: 'Look it up' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'I should call lookup.', signature: 'sig-1' },
            { type: 'redacted_thinking', data: 'b3BhcXVl' },
            { type: 'tool_use', id: 'toolu_9', name: 'lookup', input: {}, cache_control: { type: 'ephemeral' } },
          ],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'toolu_9', content: 'not found', is_error: true }],
        },
      ],
    });
    const request = messagesToChatRequest(body, { betas: ['context-management-2025-06-27'], policy: 'reject' });
    assert.deepEqual(request.messages[1], {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'toolu_9', type: 'function', function: { name: 'lookup', arguments: '{}' } }],
      thinking: [
        { type: 'thinking', thinking: 'I should call lookup.', signature: 'sig-1' },
        { type: 'redacted_thinking', data: 'b3BhcXVl' },
      ],
      cache_control: { type: 'ephemeral' },
    });
    assert.deepEqual(request.messages[2], {
      role: 'tool',
      tool_call_id: 'toolu_9',
      content: 'not found',
      is_error: true,
    });
    assert.deepEqual(request.tools?.[0]?.cache_control, { type: 'ephemeral', ttl: '1h' });
    assert.equal(request.top_k, 5);
    assert.equal(request.parallel_tool_calls, false);
    assert.deepEqual(request.thinking, { type: 'enabled', budget_tokens: 1024 });
    assert.deepEqual(request.anthropic, {
      betas: ['context-management-2025-06-27'],
      fields: {
        context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
        output_config: { effort: 'high' },
      },
    });
    assert.equal(request.unsupported_parameters, 'reject');
  });

  it('answers with an msg_ id, thinking blocks first, stop_sequence and cache writes, and no nulls Anthropic does not send', () => {
    const result = {
      response: {
        id: 'chatcmpl-abc123',
        created: 0,
        model: 'gpt',
        content: 'Done',
        finishReason: 'stop',
        stopSequence: 'END',
        thinking: [
          { type: 'thinking', thinking: 'Hmm.', signature: 'sig' },
          { type: 'redacted_thinking', data: 'eA==' },
        ],
        usage: { promptTokens: 50, completionTokens: 9, totalTokens: 59, cachedPromptTokens: 20, cacheWriteTokens: 10 },
      },
    } as unknown as InferenceResult;
    assert.deepEqual(toAnthropicMessage(result, 'claude'), {
      id: 'msg_abc123',
      type: 'message',
      role: 'assistant',
      model: 'claude',
      content: [
        { type: 'thinking', thinking: 'Hmm.', signature: 'sig' },
        { type: 'redacted_thinking', data: 'eA==' },
        { type: 'text', text: 'Done' },
      ],
      stop_reason: 'stop_sequence',
      stop_sequence: 'END',
      usage: { input_tokens: 20, output_tokens: 9, cache_creation_input_tokens: 10, cache_read_input_tokens: 20 },
    });
  });

  it('answers with an Anthropic message: blocks, stop_reason and usage without the cached tokens', () => {
    const result = {
      response: {
        id: 'msg_1',
        created: 0,
        model: 'gpt',
        content: 'Checking.',
        finishReason: 'tool_calls',
        toolCalls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Lyon"}' } },
        ],
        usage: { promptTokens: 50, completionTokens: 9, totalTokens: 59, cachedPromptTokens: 20 },
      },
    } as unknown as InferenceResult;
    assert.deepEqual(toAnthropicMessage(result, 'claude'), {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude',
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Lyon' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 30, output_tokens: 9, cache_creation_input_tokens: 0, cache_read_input_tokens: 20 },
    });
  });
});
