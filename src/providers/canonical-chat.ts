/**
 * The gateway's canonical chat request and response. Every provider adapter translates to and
 * from these shapes, and they are what travels through workflow history (never credentials).
 */
export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

export interface TextPart {
  type: 'text';
  text: string;
}

export interface ImagePart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}

export interface ChatMessage {
  role: ChatRole;
  content: string | Array<TextPart | ImagePart> | null;
  name?: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  stop?: string | string[];
  user?: string;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error';

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
  finishReason: FinishReason;
  usage: ChatUsage;
}
