import { randomUUID } from 'node:crypto';
import { simulatedEmbedding, simulatedInputTokens } from '../../simulator/simulated-embedding';
import type { EmbeddingWireAnswer } from '../../simulator/simulator-mount';
import { bedrockEmbeddingFamily, titanDimensions } from './bedrock-embedding-family';

/** Bedrock InvokeModel for an embedding model: Titan Text Embeddings V2's or Cohere embed's body. */
export function bedrockEmbeddingAnswer(
  model: string,
  body: { inputText?: unknown; dimensions?: unknown; texts?: unknown; input_type?: unknown; embedding_types?: unknown },
): EmbeddingWireAnswer {
  const family = bedrockEmbeddingFamily(model);
  if (family === 'titan-v2') {
    if (typeof body.inputText !== 'string' || body.inputText.length === 0)
      return { ok: false, message: 'Malformed input request: required key [inputText] not found' };
    const dimensions = body.dimensions === undefined ? undefined : Number(body.dimensions);
    if (dimensions !== undefined && !titanDimensions.includes(dimensions))
      return { ok: false, message: `Malformed input request: dimensions must be one of ${titanDimensions.join(', ')}` };
    const text = body.inputText;
    const tokens = simulatedInputTokens(text);
    return {
      ok: true,
      tokens,
      headers: { 'x-amzn-bedrock-input-token-count': String(tokens) },
      body: () => {
        const vector = simulatedEmbedding(model, text, dimensions);
        return { embedding: vector, inputTextTokenCount: tokens, embeddingsByType: { float: vector } };
      },
    };
  }
  const texts = body.texts;
  if (
    !Array.isArray(texts) ||
    texts.length === 0 ||
    texts.length > 96 ||
    !texts.every((text) => typeof text === 'string')
  )
    return { ok: false, message: 'Malformed input request: texts must hold 1 to 96 strings' };
  if (!['search_document', 'search_query', 'classification', 'clustering'].includes(String(body.input_type)))
    return { ok: false, message: 'Malformed input request: input_type is required' };
  const tokens = (texts as string[]).reduce((sum, text) => sum + simulatedInputTokens(text), 0);
  return {
    ok: true,
    tokens,
    headers: { 'x-amzn-bedrock-input-token-count': String(tokens) },
    body: () => {
      const vectors = (texts as string[]).map((text) => simulatedEmbedding(model, text));
      const byType = Array.isArray(body.embedding_types) && body.embedding_types.includes('float');
      return {
        id: randomUUID(),
        texts,
        response_type: byType ? 'embeddings_by_type' : 'embeddings_floats',
        embeddings: byType ? { float: vectors } : vectors,
      };
    },
  };
}
