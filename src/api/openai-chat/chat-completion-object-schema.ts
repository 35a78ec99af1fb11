import { z } from 'zod';

/** Token counts in OpenAI's terms, as chat completions and their last stream chunk carry them. */
export const openAIUsageSchema = z
  .object({
    prompt_tokens: z.number().int(),
    completion_tokens: z.number().int(),
    total_tokens: z.number().int(),
    prompt_tokens_details: z.object({ cached_tokens: z.number().int() }).optional(),
    completion_tokens_details: z.object({ reasoning_tokens: z.number().int() }).optional(),
  })
  .meta({ id: 'ChatCompletionUsage' });

const toolCallSchema = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string(), arguments: z.string().meta({ description: 'The arguments as JSON text.' }) }),
});

const choiceSchema = z.object({
  index: z.number().int(),
  message: z.object({
    role: z.literal('assistant'),
    content: z.string().nullable(),
    refusal: z.null(),
    tool_calls: z.array(toolCallSchema).optional(),
    reasoning_content: z.string().optional().meta({ description: 'The reasoning text, when the route returned one.' }),
  }),
  logprobs: z.unknown().meta({ description: 'As the provider returned them, or null.' }),
  finish_reason: z.enum(['stop', 'length', 'tool_calls', 'content_filter']),
});

/** The `chat.completion` object `POST /v1/chat/completions` answers with (see to-openai-completion.ts). */
export const chatCompletionObjectSchema = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion'),
    created: z.number().int(),
    model: z.string().meta({ description: 'The model group the request named.' }),
    choices: z.array(choiceSchema),
    usage: openAIUsageSchema,
    service_tier: z.string().optional(),
    system_fingerprint: z.string().optional(),
  })
  .meta({
    id: 'ChatCompletion',
    description: "An answer in OpenAI's chat-completions shape, whichever provider served it.",
  });

export type ChatCompletionObject = z.infer<typeof chatCompletionObjectSchema>;
