import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bedrockEmbeddingFamily } from './bedrock/bedrock-embedding-family';
import { embeddingRouteRefusal } from './embedding-capabilities';

describe('embedding capabilities by wire format', () => {
  it('knows the Bedrock families, also behind a cross-Region inference profile', () => {
    assert.equal(bedrockEmbeddingFamily('amazon.titan-embed-text-v2:0'), 'titan-v2');
    assert.equal(bedrockEmbeddingFamily('cohere.embed-english-v3'), 'cohere');
    assert.equal(bedrockEmbeddingFamily('us.cohere.embed-multilingual-v3'), 'cohere');
    assert.equal(bedrockEmbeddingFamily('amazon.titan-embed-text-v1'), undefined);
    assert.equal(bedrockEmbeddingFamily('amazon.nova-lite-v1:0'), undefined);
  });

  it('says why a route cannot take a request, and nothing when it can', () => {
    assert.equal(
      embeddingRouteRefusal('openai', 'text-embedding-3-small', { tokenInput: true, dimensions: 100 }),
      undefined,
    );
    assert.match(
      embeddingRouteRefusal('openai', 'text-embedding-ada-002', { dimensions: 100 }) ?? '',
      /cannot shorten/,
    );
    assert.equal(embeddingRouteRefusal('openai-compatible', 'bge-m3', { dimensions: 100 }), undefined);
    assert.match(
      embeddingRouteRefusal('bedrock', 'amazon.titan-embed-text-v2:0', { tokenInput: true }) ?? '',
      /token arrays/,
    );
    assert.equal(embeddingRouteRefusal('bedrock', 'amazon.titan-embed-text-v2:0', { dimensions: 256 }), undefined);
    assert.match(
      embeddingRouteRefusal('bedrock', 'amazon.titan-embed-text-v2:0', { dimensions: 300 }) ?? '',
      /256, 512, 1024/,
    );
    assert.match(
      embeddingRouteRefusal('bedrock', 'cohere.embed-english-v3', { dimensions: 256 }) ?? '',
      /cannot shorten/,
    );
    assert.match(embeddingRouteRefusal('anthropic', 'claude', {}) ?? '', /no embedding models/);
  });
});
