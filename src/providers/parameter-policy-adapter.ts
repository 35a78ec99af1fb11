import type { ProviderConfig } from '../config/gateway-config-schema';
import type { ProviderAdapter, ProviderChatCall } from './provider-adapter';
import { fitRequestToRoute, type FittedRequest } from './parameter-support';
import { ProviderCallError } from './provider-error';

function fit(call: ProviderChatCall<ProviderConfig>, streaming: boolean): FittedRequest {
  const fitted = fitRequestToRoute(call.provider.kind, call.model, call.request, streaming);
  if (fitted.dropped.length > 0 && call.request.unsupported_parameters === 'reject') {
    throw new ProviderCallError({
      type: 'InvalidRequest',
      message: `This model group's ${call.provider.kind} route cannot honour ${fitted.dropped.join(', ')}, and the group rejects unsupported parameters (unsupportedParameters: reject); leave them out or use another model group.`,
    });
  }
  return fitted;
}

/**
 * Holds every call to the model group's `unsupportedParameters` policy: the fields a route cannot
 * honour are left out (and named on the answer, or in a `dropped` event first on a stream), or,
 * under `reject`, the call fails as an invalid request before the provider is asked.
 */
export function withParameterPolicy<A extends ProviderAdapter>(adapter: A): A {
  return {
    ...adapter,
    async chat(call: ProviderChatCall<ProviderConfig>) {
      const { request, dropped } = fit(call, false);
      const response = await adapter.chat({ ...call, request });
      return dropped.length > 0 ? { ...response, droppedParameters: dropped } : response;
    },
    async *stream(call: ProviderChatCall<ProviderConfig>) {
      const { request, dropped } = fit(call, true);
      if (dropped.length > 0) yield { type: 'dropped', parameters: dropped };
      yield* adapter.stream({ ...call, request });
    },
  };
}
