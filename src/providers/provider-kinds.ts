import { anthropicProviderKind } from './anthropic/anthropic-provider-kind';
import { bedrockProviderKind } from './bedrock/bedrock-provider-kind';
import { openAICompatibleProviderKind, openAIProviderKind } from './openai/openai-provider-kind';
import type { ProviderConfigBase } from './provider-config-fields';
import type { ProviderKindModule } from './provider-kind-module';

/**
 * Every provider kind, one line each. A kind is its folder, `src/providers/<kind>/`, whose
 * `<kind>-provider-kind.ts` exports its module (config schema, adapters, capabilities, simulator
 * routes); a new kind adds its folder and its line here, and the config's `providers` union, the
 * list of kinds, the adapter and embedding registries, the capabilities and the simulator are all
 * built from this list.
 */
export const providerKindModules = [
  openAIProviderKind,
  openAICompatibleProviderKind,
  anthropicProviderKind,
  bedrockProviderKind,
] as const;

type ConfigSchemas<Modules extends readonly unknown[]> = {
  [Index in keyof Modules]: Modules[Index] extends { configSchema: infer Schema } ? Schema : never;
};

/** Each kind's config schema, in the list's order: the config's `providers` union is built from them. */
export const providerConfigSchemas = providerKindModules.map(
  (module) => module.configSchema,
) as unknown as ConfigSchemas<typeof providerKindModules>;

export const providerKinds = providerConfigSchemas.map((schema) => schema.shape.kind.value);

// Each module is checked against ProviderKindModule for its own config where it is defined.
const modulesByKind = new Map(
  providerKindModules.map((module) => [
    module.configSchema.shape.kind.value as string,
    module as ProviderKindModule<ProviderConfigBase>,
  ]),
);

/** The module of a kind (the config schema has already refused an unknown kind). */
export function providerKindModule(kind: string): ProviderKindModule<ProviderConfigBase> {
  const module = modulesByKind.get(kind);
  if (!module) throw new Error(`Unknown provider kind ${kind}`);
  return module;
}
