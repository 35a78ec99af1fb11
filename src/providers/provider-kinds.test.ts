import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { providerSchema, type ProviderConfig } from '../config/gateway-config-schema';
import { createEmbeddingRegistry, embeddingAdapterFor } from './embedding-registry';
import { ProviderCallError } from './provider-error';
import { providerKinds } from './provider-kinds';
import { createProviderRegistry } from './provider-registry';

const anthropic: ProviderConfig = providerSchema.parse({
  id: 'claude',
  kind: 'anthropic',
  accounts: [{ id: 'main', apiKeyEnv: 'ANTHROPIC_API_KEY', regions: [{ id: 'us' }] }],
});

describe('the provider kinds list', () => {
  it('names every kind the config accepts, in order', () => {
    assert.deepEqual(providerKinds, ['openai', 'openai-compatible', 'anthropic', 'bedrock']);
  });

  it('gives every kind a chat adapter with chat and stream', () => {
    const registry = createProviderRegistry();
    assert.deepEqual(Object.keys(registry).sort(), [...providerKinds].sort());
    for (const adapter of Object.values(registry)) {
      assert.equal(typeof adapter.chat, 'function');
      assert.equal(typeof adapter.stream, 'function');
    }
  });

  it('gives embedding adapters to the kinds that embed, and a kind without them is ModelNotFound', () => {
    const registry = createEmbeddingRegistry();
    assert.deepEqual(Object.keys(registry).sort(), ['bedrock', 'openai', 'openai-compatible']);
    assert.throws(
      () => embeddingAdapterFor(registry, anthropic),
      (error: unknown) =>
        error instanceof ProviderCallError &&
        error.details.type === 'ModelNotFound' &&
        error.details.message === 'The provider claude has no embedding models',
    );
  });
});
