import type { z } from 'zod';
import type { EmbeddingNeeds } from '../canonical-embedding';
import type { ChatParameterSupport } from '../chat-parameter-support';
import { apiKeyVariables, pointApiKeyAccounts } from '../provider-config-fields';
import type { ProviderKindModule } from '../provider-kind-module';
import { createOpenAIChatAdapter } from './openai-chat-adapter';
import { createOpenAIEmbeddingsAdapter } from './openai-embeddings-adapter';
import { openAICompatibleProviderConfigSchema, openAIProviderConfigSchema } from './openai-provider-config';
import { mountOpenAISimulator } from './openai-simulator-routes';

const openAIParameters: ChatParameterSupport = {
  openAIWire: true,
  outputConfig: false,
  topK: false,
  reasoning: 'effort',
  parallelToolCallsOff: true,
  metadata: true,
  endUser: true,
  openAIExtensions: true,
  anthropicFields: [],
  anthropicBetas: false,
};

/** OpenAI's `text-embedding-ada-002` cannot shorten its vectors; token arrays are OpenAI-wire input. */
function openAIEmbeddingRefusal(model: string, needs: EmbeddingNeeds): string | undefined {
  if (needs.dimensions !== undefined && model === 'text-embedding-ada-002')
    return 'cannot shorten its vectors (dimensions)';
  return undefined;
}

export const openAIProviderKind = {
  configSchema: openAIProviderConfigSchema,
  displayName: 'OpenAI',
  createChatAdapter: createOpenAIChatAdapter,
  chatParameters: () => openAIParameters,
  embeddings: { createAdapter: createOpenAIEmbeddingsAdapter, refusal: openAIEmbeddingRefusal },
  credentialVariables: apiKeyVariables,
  mountSimulator: mountOpenAISimulator,
  pointAtSimulator: (provider, simulator, keyVariable) =>
    pointApiKeyAccounts(provider, simulator.openAIBaseUrl, keyVariable),
} satisfies ProviderKindModule<z.output<typeof openAIProviderConfigSchema>>;

/**
 * Any server that speaks OpenAI chat completions, at the base URL each region names. It shares
 * OpenAI's adapters and simulator routes (mounted once, by the openai kind) but takes fewer fields.
 */
export const openAICompatibleProviderKind = {
  configSchema: openAICompatibleProviderConfigSchema,
  displayName: 'OpenAI-compatible',
  createChatAdapter: createOpenAIChatAdapter,
  chatParameters: () => ({
    ...openAIParameters,
    topK: true,
    metadata: false,
    endUser: false,
    openAIExtensions: false,
  }),
  embeddings: { createAdapter: createOpenAIEmbeddingsAdapter, refusal: openAIEmbeddingRefusal },
  credentialVariables: apiKeyVariables,
  checkConfig: (provider, report) =>
    provider.accounts.forEach((account, accountIndex) =>
      account.regions.forEach((region, regionIndex) => {
        if (!region.baseUrl)
          report(
            ['accounts', accountIndex, 'regions', regionIndex, 'baseUrl'],
            'an openai-compatible provider needs a baseUrl',
          );
      }),
    ),
  pointAtSimulator: (provider, simulator, keyVariable) =>
    pointApiKeyAccounts(provider, simulator.openAIBaseUrl, keyVariable),
} satisfies ProviderKindModule<z.output<typeof openAICompatibleProviderConfigSchema>>;
