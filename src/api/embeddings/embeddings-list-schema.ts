import { z } from 'zod';

/** The embedding list `POST /v1/embeddings` answers with (see to-openai-embeddings.ts). */
export const embeddingsListSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(
      z.object({
        object: z.literal('embedding'),
        index: z.number().int(),
        embedding: z.union([
          z.array(z.number()),
          z.string().meta({ description: 'Little-endian float32 values in base64, with encoding_format "base64".' }),
        ]),
      }),
    ),
    model: z.string().meta({ description: 'The model group the request named.' }),
    usage: z.object({ prompt_tokens: z.number().int(), total_tokens: z.number().int() }),
  })
  .meta({ id: 'EmbeddingList' });
