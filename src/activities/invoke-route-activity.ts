import { Context } from '@temporalio/activity';
import type { GatewayConfig } from '../config/gateway-config-schema';
import type { ChatRequest, ChatResponse } from '../providers/canonical-chat';
import { adapterFor, type ProviderRegistry } from '../providers/provider-registry';
import type { Route } from '../routing/route';
import { ProviderCallError, toApplicationFailure } from '../providers/provider-error';
import { resolveRouteConfig } from './resolve-endpoint';

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
  adapters: ProviderRegistry,
  environment: NodeJS.ProcessEnv,
) {
  return async function invokeRouteActivity({ route, request }: InvokeRouteInput): Promise<InvokeRouteOutput> {
    const context = Context.current();
    const { provider, account, region } = resolveRouteConfig(getConfig(), route);
    const started = performance.now();
    let response: ChatResponse;
    try {
      response = await adapterFor(adapters, provider).chat({
        model: route.model,
        request,
        provider,
        account,
        region,
        environment,
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
