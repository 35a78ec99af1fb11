import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CreateEmbeddingResponse } from 'openai/resources/embeddings';
import { decodeVector, encodeVector } from '../canonical-embedding';
import { ProviderCallError } from '../provider-error';
import { fromOpenAIEmbeddingResponse, toOpenAIEmbeddingRequest } from './openai-embeddings-adapter';

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '__fixtures__', name), 'utf8')) as CreateEmbeddingResponse;

describe('OpenAI embedding translation', () => {
  it('asks OpenAI for base64 and an openai-compatible server for floats; optional fields only when set', () => {
    assert.deepEqual(toOpenAIEmbeddingRequest('text-embedding-3-small', { input: ['a'] }, 'openai'), {
      model: 'text-embedding-3-small',
      input: ['a'],
      encoding_format: 'base64',
    });
    assert.deepEqual(
      toOpenAIEmbeddingRequest('bge', { input: [[1, 2]], dimensions: 64, user: 'u-1' }, 'openai-compatible'),
      { model: 'bge', input: [[1, 2]], encoding_format: 'float', dimensions: 64, user: 'u-1' },
    );
  });

  it('float answers: vectors in index order, packed; usage', () => {
    const response = fromOpenAIEmbeddingResponse(fixture('openai-embedding-response.json'), 'asked-model');
    assert.deepEqual(response.embeddings.map(decodeVector), [
      [-0.0625, 0.75, 0.5],
      [0.25, -0.5, 0.125],
    ]);
    assert.equal(response.dimensions, 3);
    assert.equal(response.model, 'text-embedding-3-small');
    assert.deepEqual(response.usage, { promptTokens: 6, completionTokens: 0, totalTokens: 6 });
  });

  it('base64 answers pass through untouched', () => {
    const packed = encodeVector([0.5, -0.25]);
    const answer = {
      object: 'list',
      model: 'm',
      data: [{ object: 'embedding', index: 0, embedding: packed }],
      usage: { prompt_tokens: 1, total_tokens: 1 },
    } as unknown as CreateEmbeddingResponse;
    const response = fromOpenAIEmbeddingResponse(answer, 'm');
    assert.equal(response.embeddings[0], packed);
    assert.equal(response.dimensions, 2);
  });

  it('an answer without a data list is a server error', () => {
    assert.throws(
      () => fromOpenAIEmbeddingResponse({ object: 'list' } as unknown as CreateEmbeddingResponse, 'm'),
      (error: unknown) => error instanceof ProviderCallError && error.details.type === 'ServerError',
    );
  });
});
