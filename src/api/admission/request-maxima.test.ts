import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatRequest } from '../../providers/canonical-chat';
import { applyRequestMaxima } from './request-maxima';
import { requestNeeds } from './request-needs';

const request = (messages: number, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  messages: Array.from({ length: messages }, (_, index) => ({ role: 'user' as const, content: `message ${index}` })),
  ...extra,
});
const apply = (scopes: Parameters<typeof applyRequestMaxima>[0], chat: ChatRequest) =>
  applyRequestMaxima(scopes, chat, requestNeeds(chat));

describe('per-key request maximums', () => {
  it('lets everything through when the key has none', () => {
    const chat = request(500, { max_tokens: 100_000 });
    assert.deepEqual(apply(undefined, chat), { request: chat, needs: requestNeeds(chat) });
  });

  it('refuses too many messages, too long a prompt and too many output tokens with 400', () => {
    const refusal = (result: ReturnType<typeof apply>) =>
      'refusal' in result ? result.refusal : assert.fail('expected a refusal');
    assert.deepEqual(
      [
        refusal(apply({ maxMessages: 3 }, request(4))),
        refusal(apply({ maxPromptTokens: 20 }, request(3))),
        refusal(apply({ maxOutputTokens: 64 }, request(1, { max_tokens: 65 }))),
      ].map(({ status, code, param }) => ({ status, code, param })),
      [
        { status: 400, code: 'too_many_messages', param: 'messages' },
        { status: 400, code: 'prompt_too_large', param: 'messages' },
        { status: 400, code: 'max_tokens_too_large', param: 'max_tokens' },
      ],
    );
  });

  it('accepts a request at the maximums, and caps one that asks for no output limit', () => {
    const atLimit = request(3, { max_tokens: 64 });
    assert.deepEqual(
      apply(
        { maxMessages: 3, maxOutputTokens: 64, maxPromptTokens: requestNeeds(atLimit).estimatedPromptTokens },
        atLimit,
      ),
      { request: atLimit, needs: requestNeeds(atLimit) },
    );
    const uncapped = apply({ maxOutputTokens: 64 }, request(1));
    assert.ok('request' in uncapped);
    assert.equal(uncapped.request.max_tokens, 64);
    assert.equal(uncapped.needs.maxOutputTokens, 64, 'quota and cost estimates use the cap');
  });
});
