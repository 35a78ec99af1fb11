import type { EmbeddingNeeds } from './canonical-embedding';
import type { ProviderKind } from './provider-kind';
import { providerKindModule } from './provider-kinds';

/**
 * Why a route cannot serve an embedding request, or undefined when it can. Pure: what each wire
 * format takes, by provider kind (its module's `embeddings.refusal`) and model id.
 */
export function embeddingRouteRefusal(
  providerKind: ProviderKind,
  model: string,
  needs: EmbeddingNeeds,
): string | undefined {
  const module = providerKindModule(providerKind);
  if (!module.embeddings) return `${module.displayName} has no embedding models`;
  return module.embeddings.refusal(model, needs);
}
