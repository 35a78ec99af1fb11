import { ApplicationFailure } from '@temporalio/common';
import type { GatewayConfig } from '../config/gateway-config-schema';
import type { ResolvedEndpoint } from '../providers/provider-adapter';
import type { Route } from '../routing/route';

/**
 * Looks up where a route lives and reads its secret from the environment. Runs only inside
 * activities so that no key ever enters workflow history.
 */
export function resolveEndpoint(config: GatewayConfig, route: Route, environment: NodeJS.ProcessEnv): ResolvedEndpoint {
  const provider = config.providers.find((candidate) => candidate.id === route.provider);
  const account = provider?.accounts.find((candidate) => candidate.id === route.account);
  const region = account?.regions.find((candidate) => candidate.id === route.region);
  if (!provider || !account || !region) {
    throw ApplicationFailure.create({
      type: 'ModelNotFound',
      message: `The route ${route.provider}/${route.account}/${route.region} is no longer in the config`,
      nonRetryable: true,
    });
  }
  const apiKey = environment[account.apiKeyEnv];
  if (!apiKey) {
    throw ApplicationFailure.create({
      type: 'Authentication',
      message: `The environment variable ${account.apiKeyEnv} for account ${account.id} is not set`,
      nonRetryable: true,
    });
  }
  return { baseUrl: region.baseUrl, apiKey, timeoutMs: provider.timeoutMs };
}
