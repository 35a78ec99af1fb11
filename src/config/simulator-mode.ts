import type { GatewayConfig, ProviderConfig } from './gateway-config-schema';

/** The URLs of a running provider simulator, by wire format. */
export interface SimulatorEndpoints {
  url: string;
  openAIBaseUrl(region: string): string;
  anthropicBaseUrl(region: string): string;
}

function accountKeyVariables(provider: ProviderConfig): string[] {
  if (provider.kind !== 'bedrock') return provider.accounts.map((account) => account.apiKeyEnv);
  return provider.accounts.flatMap((account) =>
    account.credentials.type === 'static' ? [account.credentials.accessKeyIdEnv] : [],
  );
}

/** True when no account in the config has its key set in the environment. */
export function hasNoProviderKeys(config: GatewayConfig, environment: NodeJS.ProcessEnv): boolean {
  return config.providers.flatMap(accountKeyVariables).every((variable) => !environment[variable]);
}

/** The variable holding the simulator's stand-in key for an account. */
export function simulatorKeyVariable(accountId: string): string {
  return `GATEWAY_SIMULATOR_KEY_${accountId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * Points every region of every account at the simulator. Each account gets a stand-in key equal to
 * its id, so the simulator's per-route counters still tell accounts apart. Pure: returns a new
 * config and the variables to set.
 */
export function routeEverythingToSimulator(
  config: GatewayConfig,
  simulator: SimulatorEndpoints,
): { config: GatewayConfig; environment: Record<string, string> } {
  const environment: Record<string, string> = {};
  const providers = config.providers.map((provider): ProviderConfig => {
    if (provider.kind === 'bedrock') {
      return {
        ...provider,
        accounts: provider.accounts.map((account) => {
          const variable = simulatorKeyVariable(account.id);
          environment[variable] = account.id;
          return {
            ...account,
            credentials: { type: 'static' as const, accessKeyIdEnv: variable, secretAccessKeyEnv: variable },
            regions: account.regions.map((region) => ({ ...region, baseUrl: simulator.url })),
          };
        }),
      };
    }
    const baseUrlFor = provider.kind === 'anthropic' ? simulator.anthropicBaseUrl : simulator.openAIBaseUrl;
    return {
      ...provider,
      accounts: provider.accounts.map((account) => {
        const variable = simulatorKeyVariable(account.id);
        environment[variable] = account.id;
        return {
          ...account,
          apiKeyEnv: variable,
          regions: account.regions.map((region) => ({ ...region, baseUrl: baseUrlFor(region.id) })),
        };
      }),
    };
  });
  return { config: { ...config, providers }, environment };
}
