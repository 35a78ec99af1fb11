import { z } from 'zod';

/** A prompt-cache breakpoint: passed to Anthropic routes, a cache point on Bedrock. */
const cacheControl = z
  .strictObject({ type: z.literal('ephemeral'), ttl: z.enum(['5m', '1h']).optional() })
  .nullable()
  .optional();

const textBlock = z.strictObject({
  type: z.literal('text'),
  text: z.string(),
  cache_control: cacheControl,
  // Sent back with the blocks of an earlier answer; the gateway does not forward them.
  citations: z.array(z.unknown()).nullable().optional(),
});

const imageBlock = z.strictObject({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('base64'),
      media_type: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']),
      data: z.string().min(1),
    }),
    z.strictObject({ type: z.literal('url'), url: z.string().min(1) }),
  ]),
  cache_control: cacheControl,
});

/** A PDF or a text given inline; the gateway carries it to every provider kind. */
const documentBlock = z.strictObject({
  type: z.literal('document'),
  source: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('base64'), media_type: z.literal('application/pdf'), data: z.string().min(1) }),
    z.strictObject({ type: z.literal('text'), media_type: z.literal('text/plain'), data: z.string() }),
  ]),
  title: z.string().nullable().optional(),
  context: z.string().nullable().optional(),
  citations: z.strictObject({ enabled: z.boolean().optional() }).nullable().optional(),
  cache_control: cacheControl,
});

const toolUseBlock = z.strictObject({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
  cache_control: cacheControl,
  caller: z.strictObject({ type: z.literal('direct') }).optional(),
});

const toolResultBlock = z.strictObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z
    .union([z.string(), z.array(z.discriminatedUnion('type', [textBlock, imageBlock, documentBlock]))])
    .optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControl,
});

/** Reasoning of an earlier answer, sent back as it came: the signature proves it unaltered. */
const thinkingBlock = z.strictObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() });
const redactedThinkingBlock = z.strictObject({ type: z.literal('redacted_thinking'), data: z.string() });

const userContent = z.union([
  z.string(),
  z.array(z.discriminatedUnion('type', [textBlock, imageBlock, documentBlock, toolResultBlock])).min(1),
]);
const assistantContent = z.union([
  z.string(),
  z.array(z.discriminatedUnion('type', [textBlock, toolUseBlock, thinkingBlock, redactedThinkingBlock])),
]);
const systemContent = z.union([z.string(), z.array(textBlock)]);

const message = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('user'), content: userContent }),
  z.strictObject({ role: z.literal('assistant'), content: assistantContent }),
  // A system turn inside the conversation, as Claude Code sends one.
  z.strictObject({ role: z.literal('system'), content: systemContent }),
]);

const tool = z.strictObject({
  type: z.literal('custom').nullable().optional(),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'tool names use letters, digits, "_" or "-", at most 64'),
  description: z.string().optional(),
  input_schema: z.looseObject({ type: z.literal('object') }),
  cache_control: cacheControl,
  strict: z.boolean().optional(),
  eager_input_streaming: z.boolean().nullable().optional(),
});

/**
 * One of Anthropic's server tools (`web_search_20250305`, `code_execution_…`, `bash_…`…): Anthropic
 * runs it itself, so the gateway forwards its settings as they came to Anthropic routes.
 */
const serverTool = z.looseObject({
  type: z
    .string()
    .regex(/^[a-z][a-z0-9_]*_\d{8}$/, 'a server tool type ends with its version date, such as web_search_20250305'),
  name: z.string().min(1),
  cache_control: cacheControl,
});

/** A tool the client runs (`input_schema`) or one of Anthropic's server tools (a dated `type`). */
const anyTool = z.union([tool, serverTool]);

const toolChoice = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.strictObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.strictObject({
    type: z.literal('tool'),
    name: z.string().min(1),
    disable_parallel_tool_use: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal('none') }),
]);

const thinkingDisplay = z.enum(['summarized', 'omitted']).nullable().optional();
const thinking = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1024), display: thinkingDisplay }),
  z.strictObject({ type: z.literal('adaptive'), display: thinkingDisplay }),
  z.strictObject({ type: z.literal('disabled') }),
]);

/** A value the provider's SDK sends as an HTTP header. */
const headerSafe = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 visible ASCII characters (it is sent as a header)');

/** An object whose inner shape Anthropic defines and the gateway forwards without reading it. */
const anthropicObject = z.record(z.string(), z.unknown());

/**
 * Body fields only Anthropic's Messages API takes (some behind an `anthropic-beta` flag). They go
 * as they came to Anthropic routes, `context_management` and `output_config` also to Claude on
 * Bedrock; elsewhere `output_config`'s effort and format are translated, the rest dropped.
 */
export const anthropicOnlyFieldSchemas = {
  context_management: anthropicObject.nullable().optional(),
  output_config: z
    .strictObject({
      effort: z.enum(['low', 'medium', 'high', 'xhigh', 'max']).nullable().optional(),
      format: z
        .strictObject({ type: z.literal('json_schema'), schema: anthropicObject })
        .nullable()
        .optional(),
    })
    .optional(),
  service_tier: z.enum(['auto', 'standard_only']).optional(),
  container: z.union([z.string(), anthropicObject]).nullable().optional(),
  mcp_servers: z.array(anthropicObject).optional(),
  inference_geo: z.string().nullable().optional(),
  speed: z.enum(['standard', 'fast']).nullable().optional(),
  // Automatic prompt caching: one breakpoint Anthropic moves along the conversation.
  cache_control: cacheControl,
  diagnostics: anthropicObject.nullable().optional(),
  // Anthropic's SDK sends these two as headers, which take visible ASCII only: any other character
  // fails the call before it leaves, which would count against the route's health.
  user_profile_id: headerSafe.optional(),
  workspace_id: headerSafe.optional(),
  output_format: anthropicObject.nullable().optional(),
  compaction: anthropicObject.nullable().optional(),
  fallbacks: anthropicObject.nullable().optional(),
  thread: anthropicObject.nullable().optional(),
  billing_policy: anthropicObject.nullable().optional(),
  fallback_credit_token: z.union([z.string(), anthropicObject]).nullable().optional(),
};

const messagesRequestFields = {
  model: z.string().min(1),
  messages: z.array(message).min(1),
  system: systemContent.optional(),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  tools: z.array(anyTool).optional(),
  tool_choice: toolChoice.optional(),
  metadata: z.strictObject({ user_id: z.string().nullable().optional() }).optional(),
  thinking: thinking.optional(),
  ...anthropicOnlyFieldSchemas,
};

/**
 * The Anthropic Messages body `POST /v1/messages` accepts: every field of Anthropic's
 * MessageCreateParams (including its beta fields and what Claude Code sends). An unknown field is
 * refused by name.
 */
export const messagesBodySchema = z.strictObject({
  ...messagesRequestFields,
  max_tokens: z.number().int().positive(),
  stream: z.boolean().optional(),
});

/** The body of `POST /v1/messages/count_tokens`: a Messages body without max_tokens or stream. */
export const countTokensBodySchema = z.strictObject(messagesRequestFields);

export type MessagesBody = z.infer<typeof messagesBodySchema>;
export type MessagesBodyMessage = MessagesBody['messages'][number];
