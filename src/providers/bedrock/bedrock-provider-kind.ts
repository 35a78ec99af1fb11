import type { z } from 'zod';
import type { EmbeddingNeeds } from '../canonical-embedding';
import type { ProviderKindModule } from '../provider-kind-module';
import { bedrockChatParameters } from './bedrock-chat-parameters';
import { createBedrockConverseAdapter } from './bedrock-converse-adapter';
import { bedrockEmbeddingFamily, titanDimensions } from './bedrock-embedding-family';
import { createBedrockEmbeddingsAdapter } from './bedrock-embeddings-adapter';
import { bedrockProviderConfigSchema } from './bedrock-provider-config';
import { mountBedrockSimulator } from './bedrock-simulator-routes';

type BedrockConfig = z.output<typeof bedrockProviderConfigSchema>;

/**
 * Titan V2 shortens its vectors to 256, 512 or 1024 only, Cohere embed v3 not at all; neither
 * takes token arrays.
 */
function bedrockEmbeddingRefusal(model: string, needs: EmbeddingNeeds): string | undefined {
  const family = bedrockEmbeddingFamily(model);
  if (!family) return `no known embedding request format for the Bedrock model ${model}`;
  if (needs.tokenInput) return 'takes texts, not token arrays';
  if (needs.dimensions !== undefined && family === 'cohere') return 'cannot shorten its vectors (dimensions)';
  if (needs.dimensions !== undefined && !titanDimensions.includes(needs.dimensions))
    return `dimensions must be one of ${titanDimensions.join(', ')}`;
  return undefined;
}

/** Amazon Bedrock: Converse for chat, InvokeModel for embeddings, SigV4 credentials per account. */
export const bedrockProviderKind = {
  configSchema: bedrockProviderConfigSchema,
  displayName: 'Bedrock',
  createChatAdapter: createBedrockConverseAdapter,
  chatParameters: bedrockChatParameters,
  embeddings: {
    createAdapter: createBedrockEmbeddingsAdapter,
    refusal: bedrockEmbeddingRefusal,
    configIssue: (model) =>
      bedrockEmbeddingFamily(model)
        ? undefined
        : `the gateway knows the embedding request format of Titan Text Embeddings V2 (amazon.titan-embed-text-v2…) and Cohere embed (cohere.embed-…) on Bedrock, not of "${model}"`,
  },
  credentialVariables: (provider: BedrockConfig) =>
    provider.accounts.flatMap((account) =>
      account.credentials.type === 'static' ? [account.credentials.accessKeyIdEnv] : [],
    ),
  mountSimulator: mountBedrockSimulator,
  // The simulator reads the account from the SigV4 access key id, so the stand-in key is both halves.
  pointAtSimulator: (provider, simulator, keyVariable) => ({
    ...provider,
    accounts: provider.accounts.map((account) => {
      const variable = keyVariable(account.id);
      return {
        ...account,
        credentials: { type: 'static' as const, accessKeyIdEnv: variable, secretAccessKeyEnv: variable },
        regions: account.regions.map((region) => ({ ...region, baseUrl: simulator.url })),
      };
    }),
  }),
} satisfies ProviderKindModule<BedrockConfig>;
