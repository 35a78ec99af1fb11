import { ProviderCallError } from '../provider-error';

/** Most texts Cohere embed takes in one InvokeModel call on Bedrock. */
export const cohereTextsPerCall = 96;

/** Cohere embed's InvokeModel body. */
export interface CohereEmbeddingBody {
  texts: string[];
  input_type: 'search_document' | 'search_query' | 'classification' | 'clustering';
  truncate: 'NONE' | 'START' | 'END';
  embedding_types: ['float'];
}

/**
 * The body for one batch. OpenAI's API has no `input_type`: texts are embedded as documents
 * (`search_document`), and an input longer than the model takes is an error, not cut (`NONE`).
 */
export function toCohereEmbeddingBody(texts: string[]): CohereEmbeddingBody {
  return { texts, input_type: 'search_document', truncate: 'NONE', embedding_types: ['float'] };
}

/**
 * Reads Cohere's answer leniently: `embeddings` is a list of vectors (`embeddings_floats`) or,
 * when embedding types were asked for, an object with a `float` list (`embeddings_by_type`).
 */
export function fromCohereEmbeddingBody(body: unknown, expected: number): number[][] {
  const answer = (body ?? {}) as { embeddings?: unknown };
  const vectors = Array.isArray(answer.embeddings)
    ? answer.embeddings
    : (answer.embeddings as { float?: unknown } | undefined)?.float;
  if (!Array.isArray(vectors) || vectors.length !== expected || !vectors.every((vector) => Array.isArray(vector))) {
    throw new ProviderCallError({ type: 'ServerError', message: `Cohere answered without ${expected} embeddings` });
  }
  return vectors as number[][];
}
