import type { EmbeddingRequest, EmbeddingResponse } from './canonical-embedding';
import type { ProviderChatCall } from './provider-adapter';
import type { ProviderConfigBase } from './provider-config-fields';

/** Everything an embedding adapter needs for one call; built inside an activity, so it may hold secrets. */
export type ProviderEmbeddingCall<P extends ProviderConfigBase = ProviderConfigBase> = Omit<
  ProviderChatCall<P>,
  'request'
> & {
  request: EmbeddingRequest;
};

/**
 * An embedding adapter translates the canonical embedding request to the provider's wire format,
 * calls the official SDK with its own retries off, and throws a ProviderCallError on failure.
 */
export interface EmbeddingAdapter<P extends ProviderConfigBase = ProviderConfigBase> {
  embed(call: ProviderEmbeddingCall<P>): Promise<EmbeddingResponse>;
}
