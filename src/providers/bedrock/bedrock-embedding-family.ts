/** Which embedding wire format a Bedrock model id speaks through InvokeModel, if any the gateway knows. */
export type BedrockEmbeddingFamily = 'titan-v2' | 'cohere';

/**
 * The family of a Bedrock embedding model id, also through a cross-Region inference profile
 * (`us.cohere.embed-…`). Pure.
 */
export function bedrockEmbeddingFamily(model: string): BedrockEmbeddingFamily | undefined {
  const base = model.replace(/^(us|eu|apac|global)\./, '');
  if (base.startsWith('amazon.titan-embed-text-v2')) return 'titan-v2';
  if (base.startsWith('cohere.embed-')) return 'cohere';
  return undefined;
}

/** The output lengths Titan Text Embeddings V2 accepts in `dimensions`. */
export const titanDimensions = [256, 512, 1024];
