import { createHash, randomBytes } from 'node:crypto';
import type { GatewayConfig, TrafficClassName } from '../../config/gateway-config-schema';

/** What a key may do; everything when a field is absent. */
export interface KeyScopes {
  /** Model groups the key may name. */
  modelGroups?: string[];
  /** Traffic class used when a request sends no x-traffic-class. */
  defaultTrafficClass?: TrafficClassName;
  /** Requests per minute for this key. */
  rpm?: number;
  /** Requests per minute for the key's whole tenant. */
  tenantRpm?: number;
  /** Tokens per minute for this key. */
  tpm?: number;
  /** Tokens per minute for the key's whole tenant. */
  tenantTpm?: number;
  /** Traffic classes the key may send; all when absent. */
  trafficClasses?: TrafficClassName[];
  /** Reads every tenant's usage. */
  admin?: boolean;
  /** `false`: the response cache is off for this key (or its tenant). */
  cache?: boolean;
  allowedProviders?: string[];
  residency?: string;
  /** Most messages, prompt tokens and requested output tokens in one request. */
  maxMessages?: number;
  maxPromptTokens?: number;
  maxOutputTokens?: number;
  /** Guardrail policies attached to the key or its tenant, by name. */
  guardrails?: string[];
}

export interface KeyOwner extends KeyScopes {
  tenant: string;
  /** A short, non-secret id of the key for logs and audit. */
  keyId: string;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateGatewayKey(prefix = 'gw-dev'): string {
  return `${prefix}-${randomBytes(18).toString('base64url')}`;
}

const configOwners = new WeakMap<GatewayConfig, Map<string, KeyOwner>>();

/** The config's keys by hash, built once per loaded config. */
function ownersIn(config: GatewayConfig): Map<string, KeyOwner> {
  let owners = configOwners.get(config);
  if (!owners) {
    owners = new Map();
    for (const tenant of config.tenants) {
      for (const key of tenant.keys) {
        owners.set(key.sha256, {
          tenant: tenant.id,
          keyId: key.id,
          modelGroups: key.modelGroups ?? tenant.modelGroups,
          defaultTrafficClass: key.defaultTrafficClass ?? tenant.defaultTrafficClass,
          rpm: key.rpm,
          tenantRpm: tenant.rpm,
          tpm: key.tpm,
          tenantTpm: tenant.tpm,
          trafficClasses: key.trafficClasses ?? tenant.trafficClasses,
          admin: key.admin,
          ...((key.cache ?? tenant.cache) === false && { cache: false }),
          allowedProviders: tenant.allowedProviders,
          residency: tenant.residency,
          maxMessages: key.maxMessages ?? tenant.maxMessages,
          maxPromptTokens: key.maxPromptTokens ?? tenant.maxPromptTokens,
          maxOutputTokens: key.maxOutputTokens ?? tenant.maxOutputTokens,
          guardrails: [...(tenant.guardrails ?? []), ...(key.guardrails ?? [])],
        });
      }
    }
    configOwners.set(config, owners);
  }
  return owners;
}

/**
 * Keys are held only as SHA-256 hashes; lookup hashes the presented key. Keys come from the
 * config's tenants (so a hot reload adds or revokes them) and from `add` (the development key).
 */
export class GatewayKeyring {
  private readonly owners = new Map<string, KeyOwner>();

  constructor(private readonly getConfig?: () => GatewayConfig) {}

  add(key: string, tenant: string, scopes: KeyScopes = {}): void {
    const hash = hashKey(key);
    this.owners.set(hash, { ...scopes, tenant, keyId: `key_${hash.slice(0, 12)}` });
  }

  find(key: string): KeyOwner | undefined {
    const hash = hashKey(key);
    return this.owners.get(hash) ?? (this.getConfig ? ownersIn(this.getConfig()).get(hash) : undefined);
  }
}
