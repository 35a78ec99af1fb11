import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { responsesBodySchema } from './responses-schema';
import { responsesToChatRequest } from './responses-to-chat-request';
import { describeZodError } from '../zod-error-message';

const base = { model: 'chat-default', input: 'hi' };
const accepts = (body: Record<string, unknown>) => responsesBodySchema.safeParse({ ...base, ...body });
const noEarlierItems = { conversation: [], items: new Map() };

/** Requests the OpenAI spec calls valid, found by the contract test (test/compat/openai-contract.test.ts). */
describe('createResponse bodies the spec allows', () => {
  it('accepts empty ids and names where the spec sets no minimum (the provider judges them)', () => {
    const parsed = accepts({
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'hi' },
            { type: 'input_image', detail: 'auto', file_id: '' },
            { type: 'input_file', file_id: '' },
          ],
        },
        { type: 'function_call', call_id: '', name: '', arguments: '{}' },
      ],
      tool_choice: { type: 'function', name: '' },
      prompt: { id: '' },
      moderation: { model: '' },
    });
    assert.ok(parsed.success, parsed.error?.message);
  });

  it("accepts the ultrafast service tier, max_tool_calls of any integer and the spec's int64 range for max_output_tokens", () => {
    for (const body of [
      { service_tier: 'ultrafast' },
      { max_tool_calls: 0 },
      { max_tool_calls: -3 },
      { max_output_tokens: 2 ** 60 },
    ]) {
      const parsed = accepts(body);
      assert.ok(parsed.success, `${JSON.stringify(body)}: ${parsed.error?.message}`);
    }
    assert.equal(accepts({ max_output_tokens: 15 }).success, false, 'at least 16, as the spec says');
  });

  it('refuses a reasoning item whose encrypted_content is not a string, naming it (it once reached the decoder and made a 500)', () => {
    const parsed = accepts({
      input: [
        { type: 'reasoning', summary: [], encrypted_content: {} },
        { role: 'user', content: 'hi' },
      ],
    });
    assert.equal(parsed.success, false);
    assert.equal(describeZodError(parsed.error!).param, 'input.0.encrypted_content');
  });

  it('leaves out a reasoning item the gateway did not make, named under the drop policy', () => {
    const parsed = accepts({
      input: [
        { type: 'reasoning', summary: [], encrypted_content: 'not-ours' },
        { role: 'user', content: 'hi' },
      ],
    });
    assert.ok(parsed.success, parsed.error?.message);
    const { request, unsupported } = responsesToChatRequest(parsed.data, noEarlierItems);
    assert.deepEqual(unsupported, ['input.reasoning']);
    assert.deepEqual(request.messages, [{ role: 'user', content: 'hi' }]);
  });
});
