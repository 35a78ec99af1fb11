import { z } from 'zod';
import { moderationSchema } from '../moderation-schema';
import { reasoningEfforts } from '../../providers/canonical-chat';
import { responsesInputItemSchema } from './responses-input-schema';
import { int64 } from '../int64-schema';

/** Tools OpenAI's Responses service runs itself; only it can honour them. */
export const hostedToolTypes = [
  'file_search',
  'computer',
  'computer_use_preview',
  'web_search',
  'web_search_2025_08_26',
  'mcp',
  'code_interpreter',
  'programmatic_tool_calling',
  'image_generation',
  'local_shell',
  'shell',
  'namespace',
  'tool_search',
  'web_search_preview',
  'web_search_preview_2025_03_11',
  'apply_patch',
] as const;

const toolName = z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'tool names use letters, digits, "_" or "-", at most 64');

/** A function tool in the Responses API's flat shape (no nested `function` object). */
const functionTool = z.strictObject({
  type: z.literal('function'),
  name: toolName,
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
  output_schema: z.record(z.string(), z.unknown()).nullish(),
  defer_loading: z.boolean().optional(),
  allowed_callers: z.array(z.unknown()).nullish(),
});

const customTool = z.strictObject({
  type: z.literal('custom'),
  name: toolName,
  description: z.string().optional(),
  format: z.record(z.string(), z.unknown()).optional(),
  defer_loading: z.boolean().optional(),
  allowed_callers: z.array(z.unknown()).nullish(),
});

export const responsesToolSchema = z.discriminatedUnion('type', [
  functionTool,
  customTool,
  z.looseObject({ type: z.enum(hostedToolTypes) }),
]);

const toolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('function'), name: z.string() }),
    z.strictObject({ type: z.literal('custom'), name: z.string() }),
    z.strictObject({
      type: z.literal('allowed_tools'),
      mode: z.enum(['auto', 'required']),
      tools: z.array(z.record(z.string(), z.unknown())),
    }),
    z.looseObject({
      type: z.enum([
        'file_search',
        'web_search_preview',
        'computer',
        'computer_use_preview',
        'computer_use',
        'web_search_preview_2025_03_11',
        'image_generation',
        'code_interpreter',
        'mcp',
        'programmatic_tool_calling',
        'apply_patch',
        'shell',
      ]),
    }),
  ]),
]);

const textFormat = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({ type: z.literal('json_object') }),
  z.strictObject({
    type: z.literal('json_schema'),
    name: z.string().min(1),
    description: z.string().optional(),
    schema: z.record(z.string(), z.unknown()),
    strict: z.boolean().nullish(),
  }),
]);

/**
 * The body of `POST /v1/responses`: every field of `createResponse` in OpenAI's OpenAPI
 * description, with `null` meaning "not set". A field outside the spec is refused by name.
 */
export const responsesBodySchema = z.strictObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(responsesInputItemSchema)]).optional(),
  instructions: z.string().nullish(),
  tools: z.array(responsesToolSchema).optional(),
  tool_choice: toolChoice.optional(),
  parallel_tool_calls: z.boolean().nullish(),
  max_output_tokens: int64.min(16).nullish(),
  max_tool_calls: int64.nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  text: z
    .strictObject({ format: textFormat.optional(), verbosity: z.enum(['low', 'medium', 'high']).nullish() })
    .optional(),
  reasoning: z
    .strictObject({
      effort: z.enum(reasoningEfforts).nullish(),
      summary: z.enum(['auto', 'concise', 'detailed']).nullish(),
      generate_summary: z.enum(['auto', 'concise', 'detailed']).nullish(),
      mode: z.string().optional(),
      context: z.enum(['auto', 'current_turn', 'all_turns']).nullish(),
    })
    .nullish(),
  metadata: z.record(z.string().max(64), z.string().max(512)).nullish(),
  user: z.string().optional(),
  safety_identifier: z.string().max(64).nullish(),
  store: z.boolean().nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.strictObject({ include_obfuscation: z.boolean().optional() }).nullish(),
  include: z.array(z.string()).nullish(),
  previous_response_id: z.string().min(1).nullish(),
  conversation: z.union([z.string().min(1), z.strictObject({ id: z.string().min(1) })]).nullish(),
  background: z.boolean().nullish(),
  truncation: z.enum(['auto', 'disabled']).nullish(),
  prompt: z.looseObject({ id: z.string() }).nullish(),
  context_management: z.array(z.record(z.string(), z.unknown())).min(1).nullish(),
  service_tier: z.enum(['auto', 'default', 'flex', 'scale', 'priority', 'fast', 'ultrafast']).nullish(),
  prompt_cache_key: z.string().nullish(),
  prompt_cache_retention: z.enum(['in_memory', '24h']).nullish(),
  prompt_cache_options: z
    .strictObject({ ttl: z.literal('30m').optional(), mode: z.enum(['implicit', 'explicit']).optional() })
    .optional(),
  moderation: moderationSchema,
});

export type ResponsesBody = z.infer<typeof responsesBodySchema>;
