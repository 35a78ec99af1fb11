import type { GatewayConfig } from '../config/gateway-config-schema';
import { createProviderRegistry } from '../providers/provider-registry';
import { createInvokeRouteActivity } from './invoke-route-activity';
import { createSelectRouteActivity } from './select-route-activity';

export interface ActivityDependencies {
  /** Returns the config in force; a function so a reload is seen by the next activity. */
  getConfig: () => GatewayConfig;
  environment?: NodeJS.ProcessEnv;
}

export function createActivities({ getConfig, environment = process.env }: ActivityDependencies) {
  return {
    selectRoute: createSelectRouteActivity(getConfig),
    invokeRoute: createInvokeRouteActivity(getConfig, createProviderRegistry(), environment),
  };
}

export type GatewayActivities = ReturnType<typeof createActivities>;
