import { ProviderCallError } from '../provider-error';

/** Titan Text Embeddings V2's InvokeModel body: one text per call. */
export interface TitanEmbeddingBody {
  inputText: string;
  dimensions?: number;
  normalize: boolean;
}

/** The body for one input; vectors are normalised, like OpenAI's. */
export function toTitanEmbeddingBody(text: string, dimensions: number | undefined): TitanEmbeddingBody {
  return { inputText: text, ...(dimensions !== undefined && { dimensions }), normalize: true };
}

/** Reads Titan's answer leniently: `embedding` (or `embeddingsByType.float`) and `inputTextTokenCount`. */
export function fromTitanEmbeddingBody(body: unknown): { vector: number[]; tokens: number } {
  const answer = (body ?? {}) as {
    embedding?: unknown;
    embeddingsByType?: { float?: unknown };
    inputTextTokenCount?: unknown;
  };
  const vector = Array.isArray(answer.embedding) ? answer.embedding : answer.embeddingsByType?.float;
  if (!Array.isArray(vector) || !vector.every((value) => typeof value === 'number')) {
    throw new ProviderCallError({ type: 'ServerError', message: 'Titan answered without an embedding' });
  }
  return { vector, tokens: typeof answer.inputTextTokenCount === 'number' ? answer.inputTextTokenCount : 0 };
}
