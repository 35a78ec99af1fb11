import type { GatewayConfig } from '../config/gateway-config-schema';
import type { Route } from './route';

export interface RouteDecision {
  modelGroup: string;
  /** The chosen route. */
  route: Route;
  /** The other routes of the group, in the order they would be tried. */
  alternatives: Route[];
}

export class UnknownModelGroupError extends Error {
  override name = 'UnknownModelGroupError';
}

/** Lists a model group's deployments as routes, in configured order. Pure. */
export function routesForModelGroup(config: GatewayConfig, modelGroup: string): Route[] {
  const group = config.modelGroups.find((candidate) => candidate.name === modelGroup);
  if (!group) {
    throw new UnknownModelGroupError(`The model "${modelGroup}" does not exist`);
  }
  return group.deployments.map((deployment) => {
    const provider = config.providers.find((candidate) => candidate.id === deployment.provider);
    if (!provider) {
      throw new Error(`config invariant broken: provider ${deployment.provider} missing`);
    }
    return {
      provider: deployment.provider,
      providerKind: provider.kind,
      model: deployment.model,
      account: deployment.account,
      region: deployment.region,
    };
  });
}

/** Chooses the first configured route of a model group. Pure. */
export function selectRoute(config: GatewayConfig, modelGroup: string): RouteDecision {
  const [route, ...alternatives] = routesForModelGroup(config, modelGroup);
  if (!route) {
    throw new UnknownModelGroupError(`The model "${modelGroup}" has no deployments`);
  }
  return { modelGroup, route, alternatives };
}
