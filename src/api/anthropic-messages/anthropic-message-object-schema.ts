import { z } from 'zod';

const contentBlockSchema = z.looseObject({ type: z.string() }).meta({
  description:
    'A content block: text, thinking, redacted_thinking or tool_use (Anthropic routes pass their own blocks through).',
});

/** The `message` object `POST /v1/messages` answers with (see to-anthropic-message.ts). */
export const anthropicMessageObjectSchema = z
  .object({
    id: z.string(),
    type: z.literal('message'),
    role: z.literal('assistant'),
    model: z.string().meta({ description: 'The model group the request named.' }),
    content: z.array(contentBlockSchema),
    stop_reason: z.enum(['end_turn', 'max_tokens', 'tool_use', 'refusal', 'stop_sequence']),
    stop_sequence: z.string().nullable(),
    usage: z.object({
      input_tokens: z.number().int(),
      output_tokens: z.number().int(),
      cache_creation_input_tokens: z.number().int(),
      cache_read_input_tokens: z.number().int(),
    }),
  })
  .meta({
    id: 'AnthropicMessage',
    description: "An answer in Anthropic's messages shape, whichever provider served it.",
  });

/** The body `POST /v1/messages/count_tokens` answers with. */
export const countTokensResultSchema = z
  .object({
    input_tokens: z
      .number()
      .int()
      .meta({ description: "The prompt's size by the gateway's tokenizer, the estimate its quotas use." }),
  })
  .meta({ id: 'CountTokensResult' });
