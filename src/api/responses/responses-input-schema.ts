import { z } from 'zod';

/** OpenAI's explicit prompt-cache breakpoint on a content part. */
const cacheBreakpoint = z.strictObject({ mode: z.literal('explicit').default('explicit') }).optional();

const inputText = z.strictObject({
  type: z.literal('input_text'),
  text: z.string(),
  prompt_cache_breakpoint: cacheBreakpoint,
});
const inputImage = z.strictObject({
  type: z.literal('input_image'),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  detail: z.enum(['low', 'high', 'auto', 'original']).optional(),
  prompt_cache_breakpoint: cacheBreakpoint,
});
const inputFile = z.strictObject({
  type: z.literal('input_file'),
  file_id: z.string().nullish(),
  filename: z.string().optional(),
  file_data: z.string().optional(),
  file_url: z.string().optional(),
  detail: z.enum(['low', 'high', 'auto']).optional(),
  prompt_cache_breakpoint: cacheBreakpoint,
});
/** `parsed` and `parsed_arguments` are the openai SDK's own additions to a parsed response, sent back as they came. */
const sdkParsed = z.unknown().optional();
const outputText = z.strictObject({
  type: z.literal('output_text'),
  text: z.string(),
  annotations: z.array(z.unknown()).optional(),
  logprobs: z.array(z.unknown()).nullish(),
  parsed: sdkParsed,
});
const refusal = z.strictObject({ type: z.literal('refusal'), refusal: z.string() });

export const responsesInputPartSchema = z.discriminatedUnion('type', [
  inputText,
  inputImage,
  inputFile,
  outputText,
  refusal,
]);
const inputParts = z.array(z.discriminatedUnion('type', [inputText, inputImage, inputFile]));
const itemStatus = z.enum(['in_progress', 'completed', 'incomplete']).nullish();
const phase = z.enum(['commentary', 'final_answer']).nullish();

/** A message item: the easy form (`type` optional, content a string) or the full one, any role. */
const message = z.strictObject({
  type: z.literal('message').optional(),
  id: z.string().optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(responsesInputPartSchema)]),
  status: itemStatus,
  phase,
});

const functionCall = z.strictObject({
  type: z.literal('function_call'),
  id: z.string().optional(),
  call_id: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
  arguments: z.string(),
  status: itemStatus,
  caller: z.unknown().optional(),
  parsed_arguments: sdkParsed,
});

const functionCallOutput = z.strictObject({
  type: z.literal('function_call_output'),
  id: z.string().nullish(),
  call_id: z.string().min(1).max(64),
  output: z.union([z.string(), inputParts]),
  name: z.string().nullish(),
  namespace: z.string().nullish(),
  status: itemStatus,
  caller: z.unknown().optional(),
});

/** A reference to an item of an earlier response, by id. */
const itemReference = z.strictObject({ type: z.literal('item_reference'), id: z.string().min(1) });

/**
 * A reasoning item: the gateway's own `encrypted_content` carries reasoning back to the provider
 * that made it (see responses-reasoning.ts); any other is left out, as a hosted item is.
 */
const reasoning = z.looseObject({ type: z.literal('reasoning'), encrypted_content: z.string().nullish() });

/**
 * Items of the spec that only OpenAI's own Responses service can use (its hosted tools' calls,
 * compaction, MCP…): accepted, and left out under the model group's
 * `unsupportedParameters` policy, named `input.<type>`.
 */
export const hostedItemTypes = [
  'file_search_call',
  'computer_call',
  'computer_call_output',
  'web_search_call',
  'tool_search_call',
  'tool_search_output',
  'additional_tools',
  'compaction',
  'compaction_trigger',
  'image_generation_call',
  'code_interpreter_call',
  'local_shell_call',
  'local_shell_call_output',
  'shell_call',
  'shell_call_output',
  'apply_patch_call',
  'apply_patch_call_output',
  'mcp_list_tools',
  'mcp_approval_request',
  'mcp_approval_response',
  'mcp_call',
  'custom_tool_call_output',
  'custom_tool_call',
  'program',
  'program_output',
] as const;
const hostedItem = z.looseObject({ type: z.enum(hostedItemTypes) });

/** One item of `input`: a message, a function call or its output, a reference, reasoning, or a hosted item. */
export const responsesInputItemSchema = z.discriminatedUnion('type', [
  message,
  functionCall,
  functionCallOutput,
  itemReference,
  reasoning,
  hostedItem,
]);

export type ResponsesInputItem = z.infer<typeof responsesInputItemSchema>;
export type ResponsesInputPart = z.infer<typeof responsesInputPartSchema>;
