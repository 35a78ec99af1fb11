import type { GatewayConfig } from '../config/gateway-config-schema';
import type { EmbeddingResponse } from '../providers/canonical-embedding';
import { embeddingAdapterFor, type EmbeddingRegistry } from '../providers/embedding-registry';
import type { GatewayStateStore } from '../state/route-state-store';
import type { StreamChannel } from '../streaming/stream-channel';
import { callRouteOnce } from './invoke-route-activity';
import type { EmbedRouteInput, EmbedRouteOutput } from './invoke-route-types';

/**
 * Embeds on a route once, with the same bookkeeping as a chat call (quota reservation, health,
 * latency, usage, cost, spend), as a local activity or as an activity.
 */
export function createEmbedRouteActivity(
  getConfig: () => GatewayConfig,
  adapters: EmbeddingRegistry,
  store: GatewayStateStore,
  environment: NodeJS.ProcessEnv,
  streams: StreamChannel,
) {
  return async function embedRouteActivity({ request, ...booking }: EmbedRouteInput): Promise<EmbedRouteOutput> {
    return callRouteOnce<EmbeddingResponse>(
      getConfig,
      store,
      streams,
      booking,
      ({ provider, account, region, signal }) =>
        embeddingAdapterFor(adapters, provider).embed({
          model: booking.route.model,
          request,
          provider,
          account,
          region,
          environment,
          signal,
        }),
    );
  };
}
