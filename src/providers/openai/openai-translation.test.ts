import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { toOpenAIRequest } from './openai-chat-request';
import { fromOpenAIResponse } from './openai-chat-response';
import { createOpenAIChunkTranslator } from './openai-chat-stream';

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, name), 'utf8'));
/** Binary fields (Bedrock image bytes) are compared as base64, the way the fixtures hold them. */
const asJson = (value: unknown) =>
  JSON.parse(
    JSON.stringify(value, (_key, item) =>
      item instanceof Uint8Array
        ? Buffer.from(item).toString('base64')
        : item?.type === 'Buffer' && Array.isArray(item.data)
          ? Buffer.from(item.data).toString('base64')
          : item,
    ),
  );

describe('openai translation', () => {
  it('turns the canonical request into the recorded wire body', () => {
    const canonical = fixture('../__fixtures__/canonical-request.json');
    assert.deepEqual(
      asJson(toOpenAIRequest('gpt-4o-mini', canonical)),
      fixture('__fixtures__/openai-chat-request.json'),
    );
  });

  it('turns the recorded wire response into the canonical response', () => {
    const providerResponse = fixture('__fixtures__/openai-chat-response.json');
    assert.deepEqual(asJson(fromOpenAIResponse(providerResponse)), fixture('__fixtures__/canonical-response.json'));
  });

  it('turns the recorded stream chunks into canonical events, tool calls renumbered in start order', () => {
    const chunks = readFileSync(join(__dirname, '__fixtures__/openai-chat-stream.chunks.txt'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .map((line) => JSON.parse(line.slice('data: '.length)));
    const translate = createOpenAIChunkTranslator();
    assert.deepEqual(
      asJson(chunks.flatMap((chunk) => translate(chunk))),
      fixture('__fixtures__/canonical-stream-events.json'),
    );
  });
});
