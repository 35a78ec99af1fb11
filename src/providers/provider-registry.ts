import type { ProviderConfig } from '../config/gateway-config-schema';
import { createAnthropicMessagesAdapter } from './anthropic/anthropic-messages-adapter';
import { createBedrockConverseAdapter } from './bedrock/bedrock-converse-adapter';
import { createOpenAIChatAdapter } from './openai/openai-chat-adapter';
import { withParameterPolicy } from './parameter-policy-adapter';
import type { ProviderAdapter } from './provider-adapter';
import type { ProviderKind } from './provider-kind';

export type ProviderRegistry = { [K in ProviderKind]: ProviderAdapter<Extract<ProviderConfig, { kind: K }>> };

/**
 * One line per provider kind. Adding a kind today touches its folder, its line in provider-kinds.ts
 * (the config schema) and its line here; the mapped type makes the compiler ask for this one.
 */
export function createProviderRegistry(): ProviderRegistry {
  const openai = withParameterPolicy(createOpenAIChatAdapter());
  return {
    openai,
    'openai-compatible': openai,
    anthropic: withParameterPolicy(createAnthropicMessagesAdapter()),
    bedrock: withParameterPolicy(createBedrockConverseAdapter()),
  };
}

/** The adapter for a provider's kind. */
export function adapterFor(registry: ProviderRegistry, provider: ProviderConfig): ProviderAdapter {
  return registry[provider.kind] as ProviderAdapter;
}
