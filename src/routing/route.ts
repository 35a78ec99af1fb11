import type { ProviderKind } from '../providers/provider-kind';

/** One concrete place an inference can go: provider → model → account → region. */
export interface Route {
  provider: string;
  providerKind: ProviderKind;
  model: string;
  account: string;
  region: string;
}

export function describeRoute(route: Route): string {
  return `${route.provider}/${route.model} (${route.account}, ${route.region})`;
}

/** The key under which a route's live state (health, quota, latency) is kept. */
export function routeKey(route: Route): string {
  return `${route.provider}/${route.account}/${route.region}/${route.model}`;
}

/** The key shared by every route of one provider account. */
export function accountKey(route: Pick<Route, 'provider' | 'account'>): string {
  return `${route.provider}/${route.account}`;
}
