import { createHash, randomBytes } from 'node:crypto';

export interface KeyOwner {
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

  add(key: string, tenant: string): void {
    const hash = hashKey(key);
    this.owners.set(hash, { tenant, keyId: `key_${hash.slice(0, 12)}` });
  }

  find(key: string): KeyOwner | undefined {
    return this.owners.get(hashKey(key));
  }
}
