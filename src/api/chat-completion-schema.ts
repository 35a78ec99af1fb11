import { z } from 'zod';

const textPart = z.strictObject({ type: z.literal('text'), text: z.string() });
const imagePart = z.strictObject({
  type: z.literal('image_url'),
  image_url: z.strictObject({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }),
});

const message = z.strictObject({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textPart, imagePart])).min(1), z.null()]),
  name: z.string().min(1).optional(),
});

/**
 * The OpenAI chat-completions body the gateway accepts today. Fields it does not support yet are
 * rejected by name rather than silently dropped.
 */
export const chatCompletionBodySchema = z.strictObject({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  max_tokens: z.number().int().positive().optional(),
  max_completion_tokens: z.number().int().positive().optional(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).optional(),
  user: z.string().optional(),
  stream: z.literal(false, { error: 'streaming is not supported yet; omit "stream" or set it to false' }).optional(),
  n: z.literal(1, { error: 'only n=1 is supported' }).optional(),
});

export type ChatCompletionBody = z.infer<typeof chatCompletionBodySchema>;
