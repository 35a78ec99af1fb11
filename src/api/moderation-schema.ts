import { z } from 'zod';

/** OpenAI's `moderation` request field, the same on chat completions and responses: a model and its policy per direction. */
export const moderationSchema = z
  .strictObject({
    model: z.string(),
    policy: z
      .strictObject({
        input: z.record(z.string(), z.unknown()).nullish(),
        output: z.record(z.string(), z.unknown()).nullish(),
      })
      .nullish(),
  })
  .nullish();
