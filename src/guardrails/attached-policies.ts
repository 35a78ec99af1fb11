import type { GatewayConfig, GuardrailPolicy } from '../config/gateway-config-schema';

/**
 * The enabled guardrail policies a request meets: those attached to its key, its tenant and its
 * model group, each once, in config order.
 */
export function attachedPolicies(
  config: GatewayConfig,
  ownerPolicies: string[] | undefined,
  modelGroup: string,
): GuardrailPolicy[] {
  const group = config.modelGroups.find((candidate) => candidate.name === modelGroup);
  const names = new Set([...(ownerPolicies ?? []), ...(group?.guardrails ?? [])]);
  if (names.size === 0) return [];
  return config.guardrails.filter((policy) => policy.enabled && names.has(policy.name));
}

/** The enabled policies of these names, as the config has them now (for an answer read back later). */
export function policiesNamed(config: GatewayConfig, names: readonly string[]): GuardrailPolicy[] {
  return config.guardrails.filter((policy) => policy.enabled && names.includes(policy.name));
}
