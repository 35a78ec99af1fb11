import { createOpenAIChatAdapter } from './openai/openai-chat-adapter';
import type { ProviderAdapter } from './provider-adapter';
import type { ProviderKind } from './provider-kind';

/** One line per provider kind: adding a provider touches its folder and this map. */
export function createProviderRegistry(): Record<ProviderKind, ProviderAdapter> {
  const openai = createOpenAIChatAdapter();
  return {
    openai,
    'openai-compatible': openai,
  };
}
