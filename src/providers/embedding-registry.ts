import type { ProviderConfig } from '../config/gateway-config-schema';
import type { EmbeddingAdapter } from './embedding-adapter';
import { ProviderCallError } from './provider-error';
import type { ProviderKind } from './provider-kind';
import { providerKindModules } from './provider-kinds';

/** The embedding adapter of each kind whose module has embeddings (Anthropic has none). */
export type EmbeddingRegistry = Partial<Record<ProviderKind, EmbeddingAdapter<ProviderConfig>>>;

export function createEmbeddingRegistry(): EmbeddingRegistry {
  return Object.fromEntries(
    providerKindModules.flatMap((module) =>
      'embeddings' in module ? [[module.configSchema.shape.kind.value, module.embeddings.createAdapter()]] : [],
    ),
  );
}

/** The embedding adapter for a provider's kind; a kind without one is a route that cannot serve. */
export function embeddingAdapterFor(
  registry: EmbeddingRegistry,
  provider: ProviderConfig,
): EmbeddingAdapter<ProviderConfig> {
  const adapter = registry[provider.kind];
  if (!adapter)
    throw new ProviderCallError({
      type: 'ModelNotFound',
      message: `The provider ${provider.id} has no embedding models`,
    });
  return adapter;
}
