import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chatCompletionBodySchema } from './chat-completion-schema';
import { chatCompletionToChatRequest } from './chat-completion-to-chat-request';

const base = { model: 'chat-default', messages: [{ role: 'user', content: 'hi' }] };
const accepts = (body: Record<string, unknown>) => chatCompletionBodySchema.safeParse({ ...base, ...body });

/** Requests the OpenAI spec calls valid, found by the contract test (test/compat/openai-contract.test.ts). */
describe('createChatCompletion bodies the spec allows', () => {
  it('accepts an empty tools list, as no tools', () => {
    const parsed = accepts({ tools: [] });
    assert.ok(parsed.success, parsed.error?.message);
    assert.equal(chatCompletionToChatRequest(parsed.data).tools, undefined);
  });

  it('accepts empty ids and names where the spec sets no minimum (the provider judges them)', () => {
    const parsed = accepts({
      messages: [
        { role: 'user', content: 'hi', name: '' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: '', type: 'function', function: { name: '', arguments: '{}' } }],
          function_call: { name: '', arguments: '{}' },
        },
        { role: 'tool', content: 'done', tool_call_id: '' },
        { role: 'function', content: 'done', name: '' },
      ],
      tool_choice: { type: 'function', function: { name: '' } },
      function_call: { name: '' },
      moderation: { model: '' },
      audio: { voice: { id: '' }, format: 'mp3' },
    });
    assert.ok(parsed.success, parsed.error?.message);
  });

  it("accepts the spec's int64 range for seed and the token limits, and refuses a fraction or a value past it", () => {
    assert.ok(accepts({ seed: 2 ** 60 }).success, 'past 2^53');
    assert.ok(accepts({ seed: -(2 ** 63) }).success, 'the int64 minimum');
    assert.equal(accepts({ seed: 1.5 }).success, false);
    assert.equal(accepts({ seed: 1e19 }).success, false);
    assert.ok(
      accepts({ max_tokens: 2 ** 60, max_completion_tokens: 2 ** 60 }).success,
      'token limits of the same range',
    );
    assert.equal(accepts({ max_tokens: 0 }).success, false, 'at least one token');
  });

  it("accepts a text part's prompt_cache_breakpoint in prediction.content, as in messages", () => {
    const parsed = accepts({
      prediction: {
        type: 'content',
        content: [{ type: 'text', text: 'draft', prompt_cache_breakpoint: { mode: 'explicit' } }],
      },
    });
    assert.ok(parsed.success, parsed.error?.message);
  });

  it("still refuses a field in no spec, and a tool definition whose name breaks the spec's stated rule", () => {
    const unknown = accepts({ not_a_field: 1 });
    assert.equal(unknown.success, false);
    assert.equal(accepts({ tools: [{ type: 'function', function: { name: 'has space' } }] }).success, false);
  });

  it("carries an earlier custom tool call's free-text input as a JSON object, which every route can send", () => {
    const parsed = chatCompletionBodySchema.parse({
      ...base,
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'custom', custom: { name: 'grep', input: 'not { json' } }],
        },
      ],
    });
    const call = chatCompletionToChatRequest(parsed).messages[1]?.tool_calls?.[0];
    assert.deepEqual(call, {
      id: 'call_1',
      type: 'function',
      function: { name: 'grep', arguments: '{"input":"not { json"}' },
    });
  });
});
