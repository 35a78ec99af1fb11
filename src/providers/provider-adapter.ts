import type { ChatRequest, ChatResponse } from './canonical-chat';

/** Where and how to reach one route, resolved inside an activity (it holds the secret). */
export interface ResolvedEndpoint {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
}

export interface ProviderChatCall {
  /** The provider's model id. */
  model: string;
  request: ChatRequest;
  endpoint: ResolvedEndpoint;
  signal?: AbortSignal;
}

/**
 * A provider adapter translates the canonical request to the provider's wire format, calls the
 * official SDK with its own retries off, and throws a classified ApplicationFailure on error.
 */
export interface ProviderAdapter {
  chat(call: ProviderChatCall): Promise<ChatResponse>;
}
