import type { GatewayConfig } from '../config/gateway-config-schema';
import { createEmbeddingRegistry } from '../providers/embedding-registry';
import { createProviderRegistry } from '../providers/provider-registry';
import type { GatewayStateStore } from '../state/route-state-store';
import type { StreamChannel } from '../streaming/stream-channel';
import { createBudgetActivities } from './budget-activities';
import { createEmbedRouteActivity } from './embed-route-activity';
import { createInvokeRouteActivity } from './invoke-route-activity';
import { createInvokeRouteStreamActivity } from './invoke-route-stream-activity';
import { createProbeActivities } from './probe-activities';
import { createSelectionActivities } from './selection-activities';

export interface ActivityDependencies {
  /** Returns the config in force; a function so a reload is seen by the next activity. */
  getConfig: () => GatewayConfig;
  store: GatewayStateStore;
  /** Where streaming attempts send their tokens for the API. */
  streams: StreamChannel;
  environment?: NodeJS.ProcessEnv;
}

export function createActivities({ getConfig, store, streams, environment = process.env }: ActivityDependencies) {
  const adapters = createProviderRegistry();
  const embeddingAdapters = createEmbeddingRegistry();
  return {
    ...createSelectionActivities(getConfig, store),
    ...createBudgetActivities(getConfig, store),
    invokeRoute: createInvokeRouteActivity(getConfig, adapters, store, environment, streams),
    invokeRouteStream: createInvokeRouteStreamActivity(getConfig, adapters, store, environment, streams),
    embedRoute: createEmbedRouteActivity(getConfig, embeddingAdapters, store, environment, streams),
    ...createProbeActivities(getConfig, adapters, store, environment, embeddingAdapters),
  };
}

export type GatewayActivities = ReturnType<typeof createActivities>;
