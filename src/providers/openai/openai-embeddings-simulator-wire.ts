import { randomUUID } from 'node:crypto';
import { encodeVector } from '../canonical-embedding';
import { simulatedEmbedding, simulatedInputTokens } from '../../simulator/simulated-embedding';
import type { EmbeddingWireAnswer } from '../../simulator/simulator-mount';

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
