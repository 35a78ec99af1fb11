import { bedrockEmbeddingFamily } from './bedrock/bedrock-embedding-family';
import type { ProviderKind } from './provider-kind';

export { bedrockEmbeddingFamily, type BedrockEmbeddingFamily } from './bedrock/bedrock-embedding-family';

/** The output lengths Titan Text Embeddings V2 accepts in `dimensions`. */
export const titanDimensions = [256, 512, 1024];

/** What an embedding request asks of a route, beyond its size in tokens. */
export interface EmbeddingNeeds {
  /** The input holds token arrays, not texts. */
  tokenInput?: boolean;
  /** The vector length asked for. */
  dimensions?: number;
}

/**
 * Why a route cannot serve an embedding request, or undefined when it can. Pure: what each wire
 * format takes, by provider kind and model id. Token arrays are an OpenAI-wire input; Titan V2
 * shortens its vectors to 256, 512 or 1024 only, Cohere embed v3 not at all, OpenAI's
 * `text-embedding-ada-002` not at all.
 */
export function embeddingRouteRefusal(
  providerKind: ProviderKind,
  model: string,
  needs: EmbeddingNeeds,
): string | undefined {
  if (providerKind === 'anthropic') return 'Anthropic has no embedding models';
  if (providerKind === 'bedrock') {
    const family = bedrockEmbeddingFamily(model);
    if (!family) return `no known embedding request format for the Bedrock model ${model}`;
    if (needs.tokenInput) return 'takes texts, not token arrays';
    if (needs.dimensions !== undefined && family === 'cohere') return 'cannot shorten its vectors (dimensions)';
    if (needs.dimensions !== undefined && !titanDimensions.includes(needs.dimensions))
      return `dimensions must be one of ${titanDimensions.join(', ')}`;
    return undefined;
  }
  if (needs.dimensions !== undefined && model === 'text-embedding-ada-002')
    return 'cannot shorten its vectors (dimensions)';
  return undefined;
}
