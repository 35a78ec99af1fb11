import type { GatewayConfig } from './gateway-config-schema';

/** Environment variable holding the throwaway key used for the built-in simulator. */
export const simulatorKeyEnv = 'GATEWAY_SIMULATOR_KEY';

/** True when no account in the config has its secret set in the environment. */
export function hasNoProviderKeys(config: GatewayConfig, environment: NodeJS.ProcessEnv): boolean {
  return config.providers.every((provider) => provider.accounts.every((account) => !environment[account.apiKeyEnv]));
}

/** Points every region of every account at the simulator. Pure: returns a new config. */
export function routeEverythingToSimulator(config: GatewayConfig, simulatorBaseUrl: string): GatewayConfig {
  return {
    ...config,
    providers: config.providers.map((provider) => ({
      ...provider,
      accounts: provider.accounts.map((account) => ({
        ...account,
        apiKeyEnv: simulatorKeyEnv,
        regions: account.regions.map((region) => ({ ...region, baseUrl: simulatorBaseUrl })),
      })),
    })),
  };
}
