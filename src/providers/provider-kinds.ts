import { anthropicProviderConfigSchema } from './anthropic/anthropic-provider-config';
import { bedrockProviderConfigSchema } from './bedrock/bedrock-provider-config';
import { openAICompatibleProviderConfigSchema, openAIProviderConfigSchema } from './openai/openai-provider-config';

/**
 * Every provider kind's config schema, one line per kind: the config's `providers` union and the
 * list of kinds are built from it. A new kind adds its folder, a line here and its adapter line in
 * provider-registry.ts (the compiler asks for it).
 */
export const providerConfigSchemas = [
  openAIProviderConfigSchema,
  openAICompatibleProviderConfigSchema,
  anthropicProviderConfigSchema,
  bedrockProviderConfigSchema,
] as const;

export const providerKinds = providerConfigSchemas.map((schema) => schema.shape.kind.value);
