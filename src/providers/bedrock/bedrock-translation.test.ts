import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { toConverseInput } from './bedrock-converse-request';
import { fromConverseOutput } from './bedrock-converse-response';
import { ProviderCallError } from '../provider-error';
import { createConverseStreamTranslator } from './bedrock-converse-stream';

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

describe('bedrock translation', () => {
  it('turns the canonical request into the recorded wire body', () => {
    const canonical = fixture('../__fixtures__/canonical-request.json');
    assert.deepEqual(
      asJson(toConverseInput('us.anthropic.claude-sonnet-5-5-v1:0', canonical)),
      fixture('__fixtures__/bedrock-converse-request.json'),
    );
  });

  it('turns the recorded wire response into the canonical response', () => {
    const providerResponse = fixture('__fixtures__/bedrock-converse-response.json');
    assert.deepEqual(
      asJson(fromConverseOutput(providerResponse, 'us.anthropic.claude-sonnet-5-5-v1:0', now)),
      fixture('__fixtures__/canonical-response.json'),
    );
  });

  it('turns the recorded ConverseStream events into canonical events', () => {
    const events = readFileSync(join(__dirname, '__fixtures__/bedrock-converse-stream.chunks.txt'), 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line));
    const translate = createConverseStreamTranslator();
    assert.deepEqual(
      asJson(events.flatMap((event) => translate(event))),
      fixture('__fixtures__/canonical-stream-events.json'),
    );
  });

  it('throws an in-stream exception as the classified gateway error', () => {
    const translate = createConverseStreamTranslator();
    assert.throws(
      () => translate({ modelStreamErrorException: { message: 'The model stream was interrupted.' } } as never),
      (error: unknown) =>
        error instanceof ProviderCallError &&
        error.details.type === 'StreamInterrupted' &&
        error.details.providerCode === 'ModelStreamErrorException',
    );
  });
});
