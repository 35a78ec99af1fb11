/**
 * The gateway's canonical chat request and response. Every provider adapter translates to and
 * from these shapes, and they are what travels through workflow history (never credentials).
 * The request side follows OpenAI's chat-completions vocabulary, the client format most apps speak.
 */
export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

export interface TextPart {
  type: 'text';
  text: string;
}

export interface ImagePart {
  type: 'image_url';
  /** An https URL or a `data:<media type>;base64,<data>` URL. */
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}

export type ContentPart = TextPart | ImagePart;

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
}

export interface ToolDefinition {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; schema?: Record<string, unknown>; strict?: boolean | null } };

export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  tool_choice?: ToolChoice;
  response_format?: ResponseFormat;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  stop?: string | string[];
  user?: string;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface ChatUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  cachedPromptTokens?: number;
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
  usage: ChatUsage;
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

/** Parses a `data:` URL into its media type and base64 data; undefined for other URLs. */
export function parseDataUrl(url: string): { mediaType: string; base64: string } | undefined {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  return match ? { mediaType: match[1]!, base64: match[2]! } : undefined;
}

/** The instruction added for providers that have no JSON mode of their own. */
export function jsonModeInstruction(format: ResponseFormat | undefined): string | undefined {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_object') return 'Respond with one JSON object and nothing else.';
  const schema = format.json_schema.schema ? ` that matches this JSON Schema: ${JSON.stringify(format.json_schema.schema)}` : '';
  return `Respond with one JSON object${schema}, and nothing else.`;
}
