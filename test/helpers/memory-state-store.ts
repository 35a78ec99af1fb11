import type { GatewayConfig } from '../../src/config/gateway-config-schema';
import { MemoryRouteStateStore } from '../../src/state/memory-route-state-store';

/** The in-memory state store over `config`'s circuit and latency settings, as the embedded stack has it. */
export function memoryStateStore(config: GatewayConfig, billingMarkerTtl?: number): MemoryRouteStateStore {
  return new MemoryRouteStateStore(
    () => config.routing.circuitBreaker,
    () => config.routing.latencyEwmaAlpha,
    billingMarkerTtl,
  );
}
