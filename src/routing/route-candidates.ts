import type { GatewayConfig, Operation } from '../config/gateway-config-schema';
import { routeKey, type Route } from './route';
import type { RouteCandidate } from './routing-types';

export class UnknownModelGroupError extends Error {
  override name = 'UnknownModelGroupError';
}

/**
 * Every route a model group may use: its own deployments (tier 0), then each fallback group's in
 * order (tier 1, 2, …), following fallbacks of fallbacks once each. Pure.
 */
export function routeCandidates(config: GatewayConfig, modelGroup: string): RouteCandidate[] {
  const groups = new Map(config.modelGroups.map((group) => [group.name, group]));
  if (!groups.has(modelGroup)) throw new UnknownModelGroupError(`The model "${modelGroup}" does not exist`);
  const order: string[] = [];
  const visit = (name: string) => {
    if (order.includes(name)) return;
    order.push(name);
    for (const fallback of groups.get(name)?.fallbacks ?? []) visit(fallback);
  };
  visit(modelGroup);
  return order.flatMap((name, tier) => {
    const group = groups.get(name)!;
    return group.deployments.map((deployment): RouteCandidate => {
      const provider = config.providers.find((candidate) => candidate.id === deployment.provider)!;
      const route = {
        provider: deployment.provider,
        providerKind: provider.kind,
        model: deployment.model,
        account: deployment.account,
        region: deployment.region,
      };
      const accounts: Array<{ id: string; regions: Array<{ id: string; residency?: string }> }> = provider.accounts;
      const residency = accounts
        .find((account) => account.id === deployment.account)
        ?.regions.find((region) => region.id === deployment.region)?.residency;
      return {
        route,
        key: routeKey(route),
        modelGroup: name,
        operation: group.operation,
        groupQuality: group.quality,
        tier,
        priority: deployment.priority,
        weight: deployment.weight,
        rpm: deployment.rpm,
        tpm: deployment.tpm,
        contextWindow: deployment.contextWindow,
        capabilities: deployment.capabilities,
        pricing: deployment.pricing ?? config.prices[deployment.model],
        ...(residency && { residency }),
        ...(group.routingStrategy === 'latency' && { routingStrategy: 'latency' as const }),
      };
    });
  });
}

/** Every distinct route in the config in force. */
export function configuredRoutes(config: GatewayConfig): Route[] {
  const routes = new Map<string, Route>();
  for (const group of config.modelGroups) {
    for (const deployment of group.deployments) {
      const provider = config.providers.find((candidate) => candidate.id === deployment.provider)!;
      const route = {
        provider: deployment.provider,
        providerKind: provider.kind,
        model: deployment.model,
        account: deployment.account,
        region: deployment.region,
      };
      routes.set(routeKey(route), route);
    }
  }
  return [...routes.values()];
}

/** What a configured route serves: the operation of the first group that deploys it (chat when none does). */
export function routeOperation(config: GatewayConfig, route: Route): Operation {
  const group = config.modelGroups.find((candidate) =>
    candidate.deployments.some(
      (deployment) =>
        deployment.provider === route.provider &&
        deployment.model === route.model &&
        deployment.account === route.account &&
        deployment.region === route.region,
    ),
  );
  return group?.operation ?? 'chat';
}
