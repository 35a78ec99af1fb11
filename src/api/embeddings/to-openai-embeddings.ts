import { decodeVector } from '../../providers/canonical-embedding';
import type { EmbeddingInferenceResult } from '../../workflows/inference-types';

/** Maps the canonical result to OpenAI's embedding list, floats or base64 as the client asked. */
export function toOpenAIEmbeddings(result: EmbeddingInferenceResult, modelGroup: string, encoding: 'float' | 'base64') {
  const { response } = result;
  return {
    object: 'list' as const,
    data: response.embeddings.map((packed, index) => ({
      object: 'embedding' as const,
      index,
      embedding: encoding === 'base64' ? packed : decodeVector(packed),
    })),
    model: modelGroup,
    usage: { prompt_tokens: response.usage.promptTokens, total_tokens: response.usage.totalTokens },
  };
}
