import { createHash, randomBytes } from 'node:crypto';

import type { TrafficClassName } from '../config/gateway-config-schema';

/** What a key may do; everything when a field is absent. */
export interface KeyScopes {
  /** Model groups the key may name. */
  modelGroups?: string[];
  /** Traffic class used when a request sends no x-traffic-class. */
  defaultTrafficClass?: TrafficClassName;
}

export interface KeyOwner extends KeyScopes {
  tenant: string;
  /** A short, non-secret id of the key for logs and audit. */
  keyId: string;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateGatewayKey(): string {
  return `gw-dev-${randomBytes(18).toString('base64url')}`;
}

/** Keys are held only as SHA-256 hashes; lookup hashes the presented key. */
export class GatewayKeyring {
  private readonly owners = new Map<string, KeyOwner>();

  add(key: string, tenant: string, scopes: KeyScopes = {}): void {
    const hash = hashKey(key);
    this.owners.set(hash, { ...scopes, tenant, keyId: `key_${hash.slice(0, 12)}` });
  }

  find(key: string): KeyOwner | undefined {
    return this.owners.get(hashKey(key));
  }
}
