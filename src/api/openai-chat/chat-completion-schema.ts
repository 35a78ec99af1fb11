import { z } from 'zod';
import { moderationSchema } from '../moderation-schema';
import { reasoningEfforts } from '../../providers/canonical-chat';
import {
  chatFunctionSchema,
  chatMessageSchema,
  chatTextPartSchema,
  chatToolChoiceSchema,
  chatToolSchema,
} from './chat-completion-message-schema';
import { int64 } from '../int64-schema';

const responseFormat = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({ type: z.literal('json_object') }),
  z.strictObject({
    type: z.literal('json_schema'),
    json_schema: z.strictObject({
      name: z.string().min(1),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

const penalty = z.number().min(-2).max(2).nullish();

/**
 * The body of `POST /v1/chat/completions`: every field of `createChatCompletion` in OpenAI's
 * OpenAPI description, each with the spec's type, and `null` wherever the spec allows it (meaning
 * "not set"). A field outside the spec is refused by name.
 */
export const chatCompletionBodySchema = z.strictObject({
  model: z.string().min(1),
  messages: z.array(chatMessageSchema).min(1),
  // An empty list means no tools (the spec sets no minimum; some clients send `[]`).
  tools: z.array(chatToolSchema).optional(),
  tool_choice: chatToolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().optional(),
  functions: z.array(chatFunctionSchema).min(1).optional(),
  function_call: z.union([z.enum(['none', 'auto']), z.strictObject({ name: z.string() })]).optional(),
  response_format: responseFormat.optional(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_tokens: int64.positive().nullish(),
  max_completion_tokens: int64.positive().nullish(),
  stop: z.union([z.string(), z.array(z.string()).min(1).max(4)]).nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  seed: int64.nullish(),
  frequency_penalty: penalty,
  presence_penalty: penalty,
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  logit_bias: z
    .record(z.string().regex(/^-?\d+$/, 'logit_bias keys are token ids'), z.number().int().min(-100).max(100))
    .nullish(),
  reasoning_effort: z.enum(reasoningEfforts).nullish(),
  user: z.string().optional(),
  safety_identifier: z.string().max(64).nullish(),
  metadata: z.record(z.string().max(64), z.string().max(512)).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z
    .strictObject({ include_usage: z.boolean().optional(), include_obfuscation: z.boolean().optional() })
    .nullish(),
  // OpenAI platform features: sent to OpenAI routes, dropped elsewhere.
  store: z.boolean().nullish(),
  service_tier: z.enum(['auto', 'default', 'flex', 'scale', 'priority', 'fast']).nullish(),
  modalities: z.array(z.enum(['text', 'audio'])).nullish(),
  audio: z
    .strictObject({
      voice: z.union([z.string(), z.strictObject({ id: z.string() })]),
      format: z.enum(['wav', 'aac', 'mp3', 'flac', 'opus', 'pcm16']),
    })
    .nullish(),
  verbosity: z.enum(['low', 'medium', 'high']).nullish(),
  prediction: z
    .strictObject({ type: z.literal('content'), content: z.union([z.string(), z.array(chatTextPartSchema).min(1)]) })
    .nullish(),
  prompt_cache_key: z.string().nullish(),
  prompt_cache_retention: z.enum(['in_memory', '24h']).nullish(),
  prompt_cache_options: z
    .strictObject({ ttl: z.literal('30m').optional(), mode: z.enum(['implicit', 'explicit']).optional() })
    .optional(),
  web_search_options: z
    .strictObject({
      user_location: z
        .strictObject({
          type: z.literal('approximate'),
          approximate: z.strictObject({
            country: z.string().optional(),
            region: z.string().optional(),
            city: z.string().optional(),
            timezone: z.string().optional(),
          }),
        })
        .nullish(),
      search_context_size: z.enum(['low', 'medium', 'high']).optional(),
    })
    .optional(),
  moderation: moderationSchema,
});

export type ChatCompletionBody = z.infer<typeof chatCompletionBodySchema>;

/** The fields sent only to OpenAI routes, as they came. */
export const openAIOnlyFields = [
  'store',
  'service_tier',
  'modalities',
  'audio',
  'verbosity',
  'prediction',
  'prompt_cache_key',
  'prompt_cache_retention',
  'prompt_cache_options',
  'web_search_options',
  'moderation',
] as const;
