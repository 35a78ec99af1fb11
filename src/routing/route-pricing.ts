import type { GatewayConfig, Pricing } from '../config/gateway-config-schema';
import type { Route } from './route';

/** A route's prices: its deployment's own, else the config's price table entry for the model. */
export function routePricing(config: GatewayConfig, route: Route): Pricing | undefined {
  const deployment = config.modelGroups
    .flatMap((group) => group.deployments)
    .find(
      (candidate) =>
        candidate.provider === route.provider &&
        candidate.model === route.model &&
        candidate.account === route.account &&
        candidate.region === route.region,
    );
  return deployment?.pricing ?? config.prices[route.model];
}

/** What a call cost, from the provider's reported usage. */
export function callCost(
  pricing: Pricing,
  usage: { promptTokens: number; completionTokens: number; cachedPromptTokens?: number },
): number {
  const cached = usage.cachedPromptTokens ?? 0;
  const cachedPrice = pricing.cachedInputPerMillion ?? pricing.inputPerMillion;
  return (
    ((usage.promptTokens - cached) * pricing.inputPerMillion +
      cached * cachedPrice +
      usage.completionTokens * pricing.outputPerMillion) /
    1_000_000
  );
}
