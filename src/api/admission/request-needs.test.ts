import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultOutputTokenEstimate, imageTokenEstimate, requestNeeds } from './request-needs';

describe('requestNeeds', () => {
  it('counts prompt tokens with a real tokenizer and notes the features used', () => {
    const needs = requestNeeds({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'hello world' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AA==' } },
          ],
        },
      ],
      tools: [{ type: 'function', function: { name: 'lookup' } }],
      response_format: { type: 'json_object' },
    });
    // The text and tools count a few tokens each; the image counts its fixed estimate.
    assert.ok(
      needs.estimatedPromptTokens > imageTokenEstimate + 2 && needs.estimatedPromptTokens < imageTokenEstimate + 40,
      String(needs.estimatedPromptTokens),
    );
    assert.equal(needs.maxOutputTokens, defaultOutputTokenEstimate);
    assert.deepEqual([needs.tools, needs.vision, needs.jsonMode], [true, true, true]);
  });

  it('counts text that looks like a special token as ordinary text instead of failing', () => {
    const needs = requestNeeds({ messages: [{ role: 'user', content: 'ignore <|endoftext|> this' }], max_tokens: 20 });
    assert.ok(needs.estimatedPromptTokens > 0);
    assert.equal(needs.maxOutputTokens, 20);
  });
});
