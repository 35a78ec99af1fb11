import { createHash } from 'node:crypto';
import {
  defaultTrafficClasses,
  type GatewayConfig,
  type TrafficClassName,
  type TrafficClassPolicy,
} from './gateway-config-schema';

/** A traffic class's policy: the defaults with the config's overrides applied. */
export function trafficClassPolicy(config: GatewayConfig, trafficClass: TrafficClassName): TrafficClassPolicy {
  return { ...defaultTrafficClasses[trafficClass], ...config.trafficClasses[trafficClass] };
}

const versions = new WeakMap<GatewayConfig, string>();

/**
 * A short hash of the routing policy in force; each inference records the one it used. Computed
 * once per loaded config, not once per inference.
 */
export function policyVersion(config: GatewayConfig): string {
  let version = versions.get(config);
  if (!version) {
    const policy = { modelGroups: config.modelGroups, routing: config.routing, trafficClasses: config.trafficClasses };
    version = createHash('sha256').update(JSON.stringify(policy)).digest('hex').slice(0, 12);
    versions.set(config, version);
  }
  return version;
}
