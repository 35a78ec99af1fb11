import { countTokens } from 'gpt-tokenizer';
import type { EmbeddingRequest } from '../providers/canonical-embedding';
import type { RequestNeeds } from '../routing/routing-types';
import type { EmbeddingBody } from './embeddings-schema';

/** The canonical request: the input always as a list (one entry per vector). */
export function embeddingBodyToRequest(body: EmbeddingBody): EmbeddingRequest {
  const { input } = body;
  const list: string[] | number[][] = typeof input === 'string' ? [input] : typeof input[0] === 'number' ? [input as number[]] : (input as string[] | number[][]);
  return { input: list, ...(body.dimensions != null && { dimensions: body.dimensions }), ...(body.user != null && { user: body.user }) };
}

/** Client text is counted as text: a special-token string such as `<|endoftext|>` is not special here. */
const tokens = (item: string | number[]) => (typeof item === 'string' ? countTokens(item, { disallowedSpecial: new Set() }) : item.length);

/**
 * What an embedding request needs from a route: its tokens (real tokenizer) for quotas and cost,
 * no output, its largest input for the model's input limit, and whether it sends token arrays or
 * asks for shorter vectors (which not every embedding model can do).
 */
export function embeddingNeeds(request: EmbeddingRequest): RequestNeeds {
  const counts = request.input.map(tokens);
  const tokenInput = request.input.some((item) => typeof item !== 'string');
  return {
    estimatedPromptTokens: counts.reduce((sum, count) => sum + count, 0),
    maxOutputTokens: 0,
    tools: false,
    vision: false,
    jsonMode: false,
    operation: 'embeddings',
    embedding: { longestInputTokens: Math.max(...counts), ...(tokenInput && { tokenInput }), ...(request.dimensions !== undefined && { dimensions: request.dimensions }) },
  };
}
