import { z } from 'zod';

/** OpenAI's explicit prompt-cache breakpoint on a content part. */
const cacheBreakpoint = z.strictObject({ mode: z.literal('explicit').default('explicit') }).optional();

const textPart = z.strictObject({
  type: z.literal('text'),
  text: z.string(),
  prompt_cache_breakpoint: cacheBreakpoint,
});
/** A text content part, as in messages and in `prediction.content`. */
export const chatTextPartSchema = textPart;
const imagePart = z.strictObject({
  type: z.literal('image_url'),
  image_url: z.strictObject({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }),
  prompt_cache_breakpoint: cacheBreakpoint,
});
const audioPart = z.strictObject({
  type: z.literal('input_audio'),
  input_audio: z.strictObject({ data: z.string(), format: z.enum(['wav', 'mp3']) }),
  prompt_cache_breakpoint: cacheBreakpoint,
});
const filePart = z.strictObject({
  type: z.literal('file'),
  file: z.strictObject({
    filename: z.string().optional(),
    file_data: z.string().optional(),
    file_id: z.string().optional(),
  }),
  prompt_cache_breakpoint: cacheBreakpoint,
});
const refusalPart = z.strictObject({ type: z.literal('refusal'), refusal: z.string() });

const textContent = z.union([z.string(), z.array(textPart).min(1)]);
const userContent = z.union([
  z.string(),
  z.array(z.discriminatedUnion('type', [textPart, imagePart, audioPart, filePart])).min(1),
]);
const assistantContent = z
  .union([z.string(), z.array(z.discriminatedUnion('type', [textPart, refusalPart])).min(1)])
  .nullish();

// Ids and names that refer to something (a call, a participant) are any string, as the spec has them:
// the provider is the judge of one it does not know. Tool definitions' names follow the spec's stated rule.
const toolCall = z.discriminatedUnion('type', [
  z.strictObject({
    id: z.string(),
    type: z.literal('function'),
    function: z.strictObject({ name: z.string(), arguments: z.string() }),
  }),
  z.strictObject({
    id: z.string(),
    type: z.literal('custom'),
    custom: z.strictObject({ name: z.string(), input: z.string() }),
  }),
]);

/** Every message role of OpenAI's chat-completions schema, `function` (deprecated) included. */
export const chatMessageSchema = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('developer'), content: textContent, name: z.string().optional() }),
  z.strictObject({ role: z.literal('system'), content: textContent, name: z.string().optional() }),
  z.strictObject({ role: z.literal('user'), content: userContent, name: z.string().optional() }),
  z.strictObject({
    role: z.literal('assistant'),
    content: assistantContent,
    refusal: z.string().nullish(),
    name: z.string().optional(),
    audio: z.strictObject({ id: z.string() }).nullish(),
    tool_calls: z.array(toolCall).optional(),
    function_call: z.strictObject({ name: z.string(), arguments: z.string() }).nullish(),
  }),
  z.strictObject({ role: z.literal('tool'), content: textContent, tool_call_id: z.string() }),
  z.strictObject({ role: z.literal('function'), content: z.string().nullable(), name: z.string() }),
]);

const toolName = z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'tool names use letters, digits, "_" or "-", at most 64');
const functionDefinition = z.strictObject({
  name: toolName,
  description: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  strict: z.boolean().nullish(),
});

export const chatToolSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('function'), function: functionDefinition }),
  z.strictObject({
    type: z.literal('custom'),
    custom: z.strictObject({
      name: toolName,
      description: z.string().optional(),
      format: z
        .discriminatedUnion('type', [
          z.strictObject({ type: z.literal('text') }),
          z.strictObject({
            type: z.literal('grammar'),
            grammar: z.strictObject({ definition: z.string(), syntax: z.enum(['lark', 'regex']) }),
          }),
        ])
        .optional(),
    }),
  }),
]);

/** The deprecated `functions` list: a function definition without `strict`. */
export const chatFunctionSchema = z.strictObject({
  name: toolName,
  description: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});

export const chatToolChoiceSchema = z.union([
  z.enum(['auto', 'none', 'required']),
  z.strictObject({ type: z.literal('function'), function: z.strictObject({ name: z.string() }) }),
  z.strictObject({ type: z.literal('custom'), custom: z.strictObject({ name: z.string() }) }),
  z.strictObject({
    type: z.literal('allowed_tools'),
    allowed_tools: z.strictObject({
      mode: z.enum(['auto', 'required']),
      tools: z.array(z.record(z.string(), z.unknown())),
    }),
  }),
]);
