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
