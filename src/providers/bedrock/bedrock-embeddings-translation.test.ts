import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ProviderCallError } from '../provider-error';
import { fromCohereEmbeddingBody, toCohereEmbeddingBody } from './bedrock-cohere-embeddings';
import { fromTitanEmbeddingBody, toTitanEmbeddingBody } from './bedrock-titan-embeddings';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, '__fixtures__', name), 'utf8'));

describe('Bedrock embedding bodies (InvokeModel)', () => {
  it('Titan V2: one text per body, normalised, dimensions only when asked', () => {
    assert.deepEqual(toTitanEmbeddingBody('hello', undefined), { inputText: 'hello', normalize: true });
    assert.deepEqual(toTitanEmbeddingBody('hello', 512), { inputText: 'hello', dimensions: 512, normalize: true });
  });

  it("Titan V2: reads the vector and Titan's own token count", () => {
    assert.deepEqual(fromTitanEmbeddingBody(fixture('titan-embedding-response.json')), {
      vector: [0.0123, -0.0456, 0.0789, -0.0012],
      tokens: 7,
    });
    // Only embeddingsByType, as when binary was asked for too.
    assert.deepEqual(fromTitanEmbeddingBody({ embeddingsByType: { float: [1, 0] } }), { vector: [1, 0], tokens: 0 });
    assert.throws(
      () => fromTitanEmbeddingBody({ message: 'no vector' }),
      (error: unknown) => error instanceof ProviderCallError && error.details.type === 'ServerError',
    );
  });

  it('Cohere: the batch as documents, never truncated, floats asked for', () => {
    assert.deepEqual(toCohereEmbeddingBody(['a', 'b']), {
      texts: ['a', 'b'],
      input_type: 'search_document',
      truncate: 'NONE',
      embedding_types: ['float'],
    });
  });

  it('Cohere: reads both response types, and refuses a count that does not match the batch', () => {
    const expected = [
      [0.021, -0.013, 0.044],
      [-0.008, 0.031, 0.017],
    ];
    assert.deepEqual(fromCohereEmbeddingBody(fixture('cohere-embedding-response.json'), 2), expected);
    assert.deepEqual(fromCohereEmbeddingBody(fixture('cohere-embedding-floats-response.json'), 2), expected);
    assert.throws(
      () => fromCohereEmbeddingBody(fixture('cohere-embedding-response.json'), 3),
      (error: unknown) => error instanceof ProviderCallError && error.details.type === 'ServerError',
    );
  });
});
