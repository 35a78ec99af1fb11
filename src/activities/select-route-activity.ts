import { ApplicationFailure } from '@temporalio/common';
import type { GatewayConfig } from '../config/gateway-config-schema';
import { selectRoute, UnknownModelGroupError, type RouteDecision } from '../routing/select-route';

export interface SelectRouteInput {
  modelGroup: string;
}

export interface SelectRouteOutput extends RouteDecision {
  /** Per-attempt timeout of the chosen provider, for the invoke activity's own timeout. */
  attemptTimeoutMs: number;
}

export function createSelectRouteActivity(getConfig: () => GatewayConfig) {
  return async function selectRouteActivity({ modelGroup }: SelectRouteInput): Promise<SelectRouteOutput> {
    const config = getConfig();
    try {
      const decision = selectRoute(config, modelGroup);
      const provider = config.providers.find((candidate) => candidate.id === decision.route.provider);
      return { ...decision, attemptTimeoutMs: provider?.timeoutMs ?? 60_000 };
    } catch (error) {
      if (error instanceof UnknownModelGroupError) {
        throw ApplicationFailure.create({ type: 'ModelNotFound', message: error.message, nonRetryable: true });
      }
      throw error;
    }
  };
}
