import { ApplicationFailure } from '@temporalio/common';
import type { GatewayConfig, ProviderConfig } from '../config/gateway-config-schema';
import type { Route } from '../routing/route';

/** Finds the provider, account and region a route names in the config in force. */
export function resolveRouteConfig(config: GatewayConfig, route: Route) {
  const provider = config.providers.find((candidate) => candidate.id === route.provider);
  const accounts: ProviderConfig['accounts'] = provider?.accounts ?? [];
  const account = accounts.find((candidate) => candidate.id === route.account);
  const region = account?.regions.find((candidate) => candidate.id === route.region);
  if (!provider || !account || !region) {
    throw ApplicationFailure.create({
      type: 'ModelNotFound',
      message: `The route ${route.provider}/${route.account}/${route.region} is no longer in the config`,
      nonRetryable: true,
    });
  }
  return { provider, account, region };
}
