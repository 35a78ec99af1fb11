/**
 * The gateway's canonical chat request and response. Every provider adapter translates to and
 * from these shapes, and they are what travels through workflow history (never credentials).
 * The request side follows OpenAI's chat-completions vocabulary, the client format most apps speak.
 */
export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

/** A prompt-cache breakpoint after this block (Anthropic's `cache_control`, Bedrock's cache point). */
export interface CacheControl {
  type: 'ephemeral';
  ttl?: '5m' | '1h';
}

export interface TextPart {
  type: 'text';
  text: string;
  cache_control?: CacheControl;
}

export interface ImagePart {
  type: 'image_url';
  /** An https URL or a `data:<media type>;base64,<data>` URL. */
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
  cache_control?: CacheControl;
}

/**
 * A file: OpenAI's `file` part, an Anthropic `document`. Inline PDFs and plain text (`file_data` as
 * a `data:` URL) reach every provider kind; a `file_id` only OpenAI.
 */
export interface FilePart {
  type: 'file';
  file: { filename?: string; file_data?: string; file_id?: string };
  cache_control?: CacheControl;
}

/** Audio input, which only OpenAI-wire routes take; other routes drop it and say so. */
export interface AudioPart {
  type: 'input_audio';
  input_audio: { data: string; format: 'wav' | 'mp3' };
  cache_control?: CacheControl;
}

export type ContentPart = TextPart | ImagePart | FilePart | AudioPart;

/** The media types of inline files every provider kind takes. */
export const portableFileTypes = ['application/pdf', 'text/plain'];

/** Whether a file part is an inline PDF or text, which Anthropic and Bedrock take too. */
export function isPortableFile(part: FilePart): boolean {
  const data = part.file.file_data ? parseDataUrl(part.file.file_data) : undefined;
  return data !== undefined && portableFileTypes.includes(data.mediaType);
}

/** A reasoning block of an earlier answer, sent back as it came (the signature proves it unaltered). */
export type ThinkingBlock =
  { type: 'thinking'; thinking: string; signature?: string } | { type: 'redacted_thinking'; data: string };

/** Anthropic-style extended thinking: a token budget, the model's own choice, or off. */
export type ThinkingConfig =
  | { type: 'enabled'; budget_tokens: number; display?: 'summarized' | 'omitted' }
  | { type: 'adaptive'; display?: 'summarized' | 'omitted' }
  | { type: 'disabled' };

export const reasoningEfforts = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
export type ReasoningEffort = (typeof reasoningEfforts)[number];

export interface ToolCall {
  id: string;
  type: 'function';
  /** `arguments` is a JSON text, as OpenAI sends it. */
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: ChatRole;
  content: string | ContentPart[] | null;
  name?: string;
  /** On assistant messages: the tools the model called. */
  tool_calls?: ToolCall[];
  /** On tool messages: which call this is the result of. */
  tool_call_id?: string;
  /** On tool messages: the result reports a failure. */
  is_error?: boolean;
  /** On assistant messages: the reasoning blocks that came before its text, in order. */
  thinking?: ThinkingBlock[];
  /** On tool messages and tool calls from Anthropic clients: a cache breakpoint after this block. */
  cache_control?: CacheControl;
}

export interface ToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
  cache_control?: CacheControl;
}

/** One of Anthropic's server tools (`web_search_20250305`…), which Anthropic runs itself; only Anthropic routes take it. */
export interface AnthropicServerTool {
  type: string;
  name: string;
  [setting: string]: unknown;
}

/** OpenAI's custom (free-text input) tool; only OpenAI-wire routes take it. */
export interface CustomToolDefinition {
  type: 'custom';
  custom: { name: string; description?: string; format?: unknown };
}

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; schema?: Record<string, unknown>; strict?: boolean | null } };

/**
 * OpenAI platform features with no counterpart elsewhere (`store`, `service_tier`, `prediction`,
 * `modalities`, `audio`, `verbosity`, `prompt_cache_key`, `web_search_options`, …): sent as they
 * came to OpenAI routes, dropped elsewhere.
 */
export type OpenAIOnlyFields = Record<string, unknown>;

export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
  response_format?: ResponseFormat;
  temperature?: number;
  top_p?: number;
  /** Anthropic and Bedrock sampling (also vLLM's). */
  top_k?: number;
  max_tokens?: number;
  stop?: string | string[];
  user?: string;
  /** How many answers to generate (OpenAI-wire routes, whole answers). */
  n?: number;
  seed?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  logprobs?: boolean;
  top_logprobs?: number;
  logit_bias?: Record<string, number>;
  parallel_tool_calls?: boolean;
  reasoning_effort?: ReasoningEffort;
  /** Extended thinking as an Anthropic client asked for it. */
  thinking?: ThinkingConfig;
  /** Key-value tags: OpenAI's `metadata`, Bedrock's `requestMetadata`. */
  metadata?: Record<string, string>;
  /** The end user, for abuse monitoring: OpenAI's `safety_identifier`, Anthropic's `metadata.user_id`. */
  end_user?: string;
  custom_tools?: CustomToolDefinition[];
  openai?: OpenAIOnlyFields;
  /**
   * What only Anthropic's Messages API takes: `anthropic-beta` flags and body fields such as
   * `context_management`, `output_config`, `container` or `service_tier`, sent as they came.
   */
  anthropic?: { betas?: string[]; fields?: Record<string, unknown>; serverTools?: AnthropicServerTool[] };
  /**
   * What a Responses API client asked of the gateway itself: the fields no route can honour
   * (named among every route's dropped parameters), and `store: false` (a later request may not
   * refer to this answer by id). No adapter sends it anywhere.
   */
  responses?: { unsupported?: string[]; store?: false };
  /**
   * The model group's `unsupportedParameters` policy when it is `reject`: a route that cannot
   * honour a field refuses the call instead of dropping the field. Absent means drop.
   */
  unsupported_parameters?: 'reject';
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Prompt tokens read from the provider's cache (part of promptTokens). */
  cachedPromptTokens?: number;
  /** Prompt tokens written to the provider's cache (part of promptTokens). */
  cacheWriteTokens?: number;
  /** Completion tokens spent on reasoning (part of completionTokens). */
  reasoningTokens?: number;
}

/** One answer of several (`n` > 1): the first is the response itself. */
export interface ChatChoice {
  content: string | null;
  toolCalls?: ToolCall[];
  finishReason: FinishReason;
  logprobs?: unknown;
  reasoning?: string;
}

export interface ChatResponse {
  /** The provider's id for this completion. */
  id: string;
  created: number;
  /** The model the provider says answered. */
  model: string;
  content: string | null;
  toolCalls?: ToolCall[];
  finishReason: FinishReason;
  /** The stop sequence that ended the answer, when the provider says which. */
  stopSequence?: string;
  usage: ChatUsage;
  /** The model's reasoning, as text (OpenAI-wire `reasoning_content`, Anthropic thinking). */
  reasoning?: string;
  /** The reasoning as blocks with their signatures, to send back in a later turn. */
  thinking?: ThinkingBlock[];
  /** OpenAI's token log probabilities for the answer, as the provider sent them. */
  logprobs?: unknown;
  /** The other answers when `n` > 1. */
  moreChoices?: ChatChoice[];
  systemFingerprint?: string;
  serviceTier?: string;
  /** Request fields the route could not honour and left out (the model group's `unsupportedParameters: drop`). */
  droppedParameters?: string[];
  /**
   * Anthropic's content blocks as they came, when they hold blocks the canonical form has no
   * place for (a server tool's use and result): an Anthropic client gets them back whole.
   */
  anthropicContent?: unknown[];
}

/** The system prompt as one text, and the other messages. */
export function splitSystemPrompt(messages: ChatMessage[]): { system: string | undefined; rest: ChatMessage[] } {
  const system = messages
    .filter((message) => message.role === 'system')
    .map((message) => textOf(message.content))
    .join('\n\n');
  return { system: system || undefined, rest: messages.filter((message) => message.role !== 'system') };
}

/** The text of a message's content, ignoring images. */
export function textOf(content: ChatMessage['content']): string {
  if (content === null) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** The system messages' parts in order, each keeping its cache breakpoint, and the other messages. */
export function splitSystemParts(messages: ChatMessage[]): { system: TextPart[]; rest: ChatMessage[] } {
  const system = messages
    .filter((message) => message.role === 'system')
    .flatMap((message): TextPart[] => {
      if (typeof message.content === 'string')
        return message.content
          ? [
              {
                type: 'text',
                text: message.content,
                ...(message.cache_control && { cache_control: message.cache_control }),
              },
            ]
          : [];
      return (message.content ?? []).filter((part) => part.type === 'text');
    });
  return { system, rest: messages.filter((message) => message.role !== 'system') };
}

/** Parses a `data:` URL into its media type and base64 data; undefined for other URLs. */
export function parseDataUrl(url: string): { mediaType: string; base64: string } | undefined {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return match ? { mediaType: match[1]!, base64: match[2]! } : undefined;
}

/** The instruction added for providers that have no JSON mode of their own. */
export function jsonModeInstruction(format: ResponseFormat | undefined): string | undefined {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_object') return 'Respond with one JSON object and nothing else.';
  const schema = format.json_schema.schema
    ? ` that matches this JSON Schema: ${JSON.stringify(format.json_schema.schema)}`
    : '';
  return `Respond with one JSON object${schema}, and nothing else.`;
}
