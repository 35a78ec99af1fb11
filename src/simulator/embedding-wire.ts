import { randomUUID } from 'node:crypto';
import { encodeVector } from '../providers/canonical-embedding';
import { bedrockEmbeddingFamily, titanDimensions } from '../providers/embedding-capabilities';
import { simulatedEmbedding, simulatedInputTokens } from './simulated-embedding';

/** What an embedding call answers with, or why its body is refused (the caller sends the wire's invalid_request). */
export type EmbeddingWireAnswer =
  { ok: true; tokens: number; headers: Record<string, string>; body: () => unknown } | { ok: false; message: string };

const isTokenArray = (value: unknown): value is number[] =>
  Array.isArray(value) && value.length > 0 && value.every((item) => Number.isInteger(item));

/** OpenAI's `POST /v1/embeddings`: input as a string, strings, a token array or token arrays; floats or base64. */
export function openAIEmbeddingAnswer(body: {
  model?: unknown;
  input?: unknown;
  encoding_format?: unknown;
  dimensions?: unknown;
}): EmbeddingWireAnswer {
  const model = typeof body.model === 'string' ? body.model : '';
  const raw = body.input;
  const inputs: Array<string | number[]> | undefined =
    typeof raw === 'string'
      ? [raw]
      : isTokenArray(raw)
        ? [raw]
        : Array.isArray(raw) && raw.length > 0 && raw.every((item) => typeof item === 'string' || isTokenArray(item))
          ? (raw as Array<string | number[]>)
          : undefined;
  if (!model || !inputs || inputs.some((item) => item.length === 0))
    return { ok: false, message: "'input' must be a non-empty string, array of strings, or array of token arrays" };
  const dimensions = body.dimensions;
  if (dimensions !== undefined && (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1))
    return { ok: false, message: "'dimensions' must be a positive integer" };
  if (dimensions !== undefined && !model.startsWith('text-embedding-3') && model.startsWith('text-embedding-'))
    return { ok: false, message: 'This model does not support specifying dimensions.' };
  const base64 = body.encoding_format === 'base64';
  const tokens = inputs.reduce((sum, item) => sum + simulatedInputTokens(item), 0);
  return {
    ok: true,
    tokens,
    headers: { 'x-request-id': `req_${randomUUID().replaceAll('-', '')}` },
    body: () => ({
      object: 'list',
      data: inputs.map((item, index) => {
        const vector = simulatedEmbedding(model, item, dimensions);
        return { object: 'embedding', index, embedding: base64 ? encodeVector(vector) : vector };
      }),
      model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    }),
  };
}

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
