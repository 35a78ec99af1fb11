import { z } from 'zod';

const outputItemSchema = z
  .looseObject({ id: z.string(), type: z.enum(['message', 'function_call', 'reasoning']) })
  .meta({ description: 'An output item: the message, a function call, or the reasoning.' });

/**
 * The `response` object `POST /v1/responses` answers with (see responses-object.ts): the envelope,
 * the request's settings repeated with the API's defaults, the output items and the usage.
 */
export const responsesObjectSchema = z
  .looseObject({
    id: z.string(),
    object: z.literal('response'),
    created_at: z.number().int(),
    completed_at: z.number().int(),
    error: z.null(),
    status: z.enum(['completed', 'incomplete']),
    incomplete_details: z.object({ reason: z.enum(['max_output_tokens', 'content_filter']) }).nullable(),
    model: z.string().meta({ description: 'The model group the request named.' }),
    instructions: z.unknown(),
    max_output_tokens: z.number().int().nullable(),
    parallel_tool_calls: z.boolean(),
    previous_response_id: z.string().nullable(),
    store: z.boolean(),
    temperature: z.number(),
    top_p: z.number(),
    tool_choice: z.unknown(),
    tools: z.array(z.unknown()),
    truncation: z.string(),
    metadata: z.record(z.string(), z.string()),
    background: z.boolean(),
    output: z.array(outputItemSchema),
    usage: z.object({
      input_tokens: z.number().int(),
      input_tokens_details: z.looseObject({ cached_tokens: z.number().int(), cache_write_tokens: z.number().int() }),
      output_tokens: z.number().int(),
      output_tokens_details: z.object({ reasoning_tokens: z.number().int() }),
      total_tokens: z.number().int(),
    }),
    service_tier: z.string().optional(),
  })
  .meta({ id: 'Response', description: "An answer in the Responses API's shape, whichever provider served it." });
