import type { ProviderConfigBase } from '../providers/provider-config-fields';
import type { SimulatorEndpoints } from '../providers/provider-kind-module';
import { providerKindModule } from '../providers/provider-kinds';
import type { GatewayConfig, ProviderConfig } from './gateway-config-schema';

/** True when no account in the config has its key set in the environment. */
export function hasNoProviderKeys(config: GatewayConfig, environment: NodeJS.ProcessEnv): boolean {
  return config.providers
    .flatMap((provider) => providerKindModule(provider.kind).credentialVariables(provider))
    .every((variable) => !environment[variable]);
}

/** The variable holding the simulator's stand-in key for an account. */
export function simulatorKeyVariable(accountId: string): string {
  return `GATEWAY_SIMULATOR_KEY_${accountId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * Points every region of every account at the simulator, as each kind's module says. Each account
 * gets a stand-in key equal to its id, so the simulator's per-route counters still tell accounts
 * apart. Pure: returns a new config and the variables to set.
 */
export function routeEverythingToSimulator(
  config: GatewayConfig,
  simulator: SimulatorEndpoints,
): { config: GatewayConfig; environment: Record<string, string> } {
  const environment: Record<string, string> = {};
  const keyVariable = (accountId: string) => {
    const variable = simulatorKeyVariable(accountId);
    environment[variable] = accountId;
    return variable;
  };
  const providers = config.providers.map((provider): ProviderConfig => {
    const module = providerKindModule(provider.kind);
    if (!module.pointAtSimulator) return provider;
    return module.pointAtSimulator(provider as ProviderConfigBase, simulator, keyVariable) as ProviderConfig;
  });
  return { config: { ...config, providers }, environment };
}
