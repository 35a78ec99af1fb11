import type { ProviderConfig } from '../config/gateway-config-schema';
import { createBedrockEmbeddingsAdapter } from './bedrock/bedrock-embeddings-adapter';
import type { EmbeddingAdapter } from './embedding-adapter';
import { createOpenAIEmbeddingsAdapter } from './openai/openai-embeddings-adapter';
import { ProviderCallError } from './provider-error';
import type { ProviderKind } from './provider-kind';

/** The provider kinds with embedding models (Anthropic has none). */
export type EmbeddingProviderKind = Exclude<ProviderKind, 'anthropic'>;

export type EmbeddingRegistry = {
  [K in EmbeddingProviderKind]: EmbeddingAdapter<Extract<ProviderConfig, { kind: K }>>;
};

/** One line per provider kind that embeds. */
export function createEmbeddingRegistry(): EmbeddingRegistry {
  const openai = createOpenAIEmbeddingsAdapter();
  return { openai, 'openai-compatible': openai, bedrock: createBedrockEmbeddingsAdapter() };
}

/** The embedding adapter for a provider's kind; a kind without one is a route that cannot serve. */
export function embeddingAdapterFor(registry: EmbeddingRegistry, provider: ProviderConfig): EmbeddingAdapter {
  if (provider.kind === 'anthropic')
    throw new ProviderCallError({
      type: 'ModelNotFound',
      message: `The provider ${provider.id} has no embedding models`,
    });
  return registry[provider.kind] as EmbeddingAdapter;
}
