import { z } from 'zod';
import { int64 } from '../int64-schema';

/** Most inputs in one request, as OpenAI allows. */
export const maxEmbeddingInputs = 2048;

const tokenArray = z.array(int64.min(0)).min(1);
const text = z.string().min(1, 'an input cannot be an empty string');

/**
 * The body of `POST /v1/embeddings`: every field of `createEmbedding` in OpenAI's OpenAPI
 * description, `null` meaning "not set" on the optional ones. A field outside the spec is refused
 * by name.
 */
export const embeddingBodySchema = z.strictObject({
  model: z.string().min(1),
  input: z.union(
    [
      text,
      z.array(text).min(1).max(maxEmbeddingInputs),
      tokenArray,
      z.array(tokenArray).min(1).max(maxEmbeddingInputs),
    ],
    {
      error: 'must be a non-empty string, an array of strings, an array of token ids, or an array of token id arrays',
    },
  ),
  encoding_format: z.enum(['float', 'base64']).nullish(),
  dimensions: int64.min(1).nullish(),
  user: z.string().nullish(),
});

export type EmbeddingBody = z.infer<typeof embeddingBodySchema>;
