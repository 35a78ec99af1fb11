import { Context } from '@temporalio/activity';
import type { GatewayConfig } from '../config/gateway-config-schema';
import type { ChatRequest, ChatResponse } from '../providers/canonical-chat';
import type { ProviderAdapter } from '../providers/provider-adapter';
import type { ProviderKind } from '../providers/provider-kind';
import type { Route } from '../routing/route';
import { ProviderCallError, toApplicationFailure } from '../providers/provider-error';
import { resolveEndpoint } from './resolve-endpoint';

export interface InvokeRouteInput {
  route: Route;
  request: ChatRequest;
}

export interface InvokeRouteOutput {
  response: ChatResponse;
  /** Which try of this activity succeeded (1 = first). */
  attempt: number;
  latencyMs: number;
}

export function createInvokeRouteActivity(
  getConfig: () => GatewayConfig,
  adapters: Record<ProviderKind, ProviderAdapter>,
  environment: NodeJS.ProcessEnv,
) {
  return async function invokeRouteActivity({ route, request }: InvokeRouteInput): Promise<InvokeRouteOutput> {
    const context = Context.current();
    const endpoint = resolveEndpoint(getConfig(), route, environment);
    const started = performance.now();
    let response: ChatResponse;
    try {
      response = await adapters[route.providerKind].chat({
        model: route.model,
        request,
        endpoint,
        signal: context.cancellationSignal,
      });
    } catch (error) {
      if (error instanceof ProviderCallError) {
        throw toApplicationFailure({ ...error.details, attempt: context.info.attempt });
      }
      throw error;
    }
    return { response, attempt: context.info.attempt, latencyMs: Math.round(performance.now() - started) };
  };
}
