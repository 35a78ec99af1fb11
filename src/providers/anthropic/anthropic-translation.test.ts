import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { toAnthropicRequest } from './anthropic-messages-request';
import { fromAnthropicResponse } from './anthropic-messages-response';
import { createAnthropicEventTranslator } from './anthropic-messages-stream';

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
const now = Date.parse('2026-11-22T00:00:00Z');

describe('anthropic translation', () => {
  it('turns the canonical request into the recorded wire body', () => {
    const canonical = fixture('../__fixtures__/canonical-request.json');
    assert.deepEqual(
      asJson(toAnthropicRequest('claude-sonnet-5-5', canonical, 4096)),
      fixture('__fixtures__/anthropic-messages-request.json'),
    );
  });

  it('turns the recorded wire response into the canonical response', () => {
    const providerResponse = fixture('__fixtures__/anthropic-messages-response.json');
    assert.deepEqual(
      asJson(fromAnthropicResponse(providerResponse, now)),
      fixture('__fixtures__/canonical-response.json'),
    );
  });

  it('turns the recorded stream events into canonical events, usage counted with the cache', () => {
    const events = readFileSync(join(__dirname, '__fixtures__/anthropic-messages-stream.chunks.txt'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice('data: '.length)));
    const translate = createAnthropicEventTranslator();
    assert.deepEqual(
      asJson(events.flatMap((event) => translate(event))),
      fixture('__fixtures__/canonical-stream-events.json'),
    );
  });
});
