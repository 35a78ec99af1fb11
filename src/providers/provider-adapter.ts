import type { ChatRequest, ChatResponse } from './canonical-chat';
import type { ChatStreamEvent } from './chat-stream-event';
import type { ProviderConfigBase, RegionConfig } from './provider-config-fields';

/** Everything an adapter needs for one call; built inside an activity, so it may hold secrets. */
export interface ProviderChatCall<P extends ProviderConfigBase = ProviderConfigBase> {
  /** The provider's model id. */
  model: string;
  request: ChatRequest;
  provider: P;
  account: P['accounts'][number];
  region: RegionConfig;
  /** Where the account's secrets are read from, by the names in config. */
  environment: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/**
 * A provider adapter translates the canonical request to the provider's wire format, calls the
 * official SDK with its own retries off, and throws a ProviderCallError on failure.
 */
export interface ProviderAdapter<P extends ProviderConfigBase = ProviderConfigBase> {
  chat(call: ProviderChatCall<P>): Promise<ChatResponse>;
  /**
   * Streams the answer as canonical events. A failure, before or during the stream, is thrown
   * from the iteration as a ProviderCallError.
   */
  stream(call: ProviderChatCall<P>): AsyncIterable<ChatStreamEvent>;
}
