import type { ProviderConfig } from '../config/gateway-config-schema';
import { withParameterPolicy } from './parameter-policy-adapter';
import type { ProviderAdapter } from './provider-adapter';
import type { ProviderKind } from './provider-kind';
import { providerKindModules } from './provider-kinds';

export type ProviderRegistry = { [K in ProviderKind]: ProviderAdapter<Extract<ProviderConfig, { kind: K }>> };

/** Each kind's chat adapter, from its module in provider-kinds.ts, held to the parameter policy. */
export function createProviderRegistry(): ProviderRegistry {
  return Object.fromEntries(
    providerKindModules.map((module) => [
      module.configSchema.shape.kind.value,
      withParameterPolicy(module.createChatAdapter() as ProviderAdapter),
    ]),
  ) as ProviderRegistry;
}

/** The adapter for a provider's kind. */
export function adapterFor(registry: ProviderRegistry, provider: ProviderConfig): ProviderAdapter<ProviderConfig> {
  return registry[provider.kind] as ProviderAdapter<ProviderConfig>;
}
