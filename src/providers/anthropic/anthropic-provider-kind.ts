import type { z } from 'zod';
import { apiKeyVariables, pointApiKeyAccounts } from '../provider-config-fields';
import type { ProviderKindModule } from '../provider-kind-module';
import { createAnthropicMessagesAdapter } from './anthropic-messages-adapter';
import { anthropicProviderConfigSchema } from './anthropic-provider-config';
import { mountAnthropicSimulator } from './anthropic-simulator-routes';

/** Anthropic's Messages API; it has no embedding models. */
export const anthropicProviderKind = {
  configSchema: anthropicProviderConfigSchema,
  displayName: 'Anthropic',
  createChatAdapter: createAnthropicMessagesAdapter,
  chatParameters: () => ({
    openAIWire: false,
    outputConfig: true,
    topK: true,
    reasoning: 'thinking-budget',
    parallelToolCallsOff: true,
    metadata: false,
    endUser: true,
    openAIExtensions: false,
    anthropicFields: 'all',
    anthropicBetas: true,
  }),
  credentialVariables: apiKeyVariables,
  mountSimulator: mountAnthropicSimulator,
  pointAtSimulator: (provider, simulator, keyVariable) =>
    pointApiKeyAccounts(provider, simulator.anthropicBaseUrl, keyVariable),
} satisfies ProviderKindModule<z.output<typeof anthropicProviderConfigSchema>>;
