import { z } from 'zod';
import { envVarName, identifier } from '../config/config-fields';

/**
 * Per-attempt timeout for one provider call, in milliseconds.
 * @default 60000
 */
export const timeoutMs = z.number().int().positive().default(60_000);

export const regionSchema = z.strictObject({
  /** The provider's region name; for Bedrock, the AWS region such as us-east-1. */
  id: identifier,
  /** Base URL of the provider's API in this region; the provider's public endpoint when omitted. */
  baseUrl: z.url().optional(),
  /** Data-residency zone of this region, such as `eu` or `us`; tenants with a residency use only matching regions. */
  residency: z.string().min(1).optional(),
});

/** Secrets are referenced by environment variable name; an inline key is rejected. */
export const apiKeyAccountSchema = z.strictObject({
  id: identifier,
  apiKeyEnv: envVarName,
  regions: z.array(regionSchema).min(1),
});

export type RegionConfig = z.infer<typeof regionSchema>;

/** What every provider kind's config has: the shape the adapters' call types are built on. */
export interface ProviderConfigBase {
  id: string;
  kind: string;
  timeoutMs: number;
  accounts: ReadonlyArray<{ id: string; regions: RegionConfig[] }>;
}

/** The variables holding an API-key provider's keys, one per account. */
export function apiKeyVariables(provider: { accounts: Array<{ apiKeyEnv: string }> }): string[] {
  return provider.accounts.map((account) => account.apiKeyEnv);
}

/**
 * An API-key provider with every region's base URL at the simulator and each account's key read
 * from the variable `keyVariable` names.
 */
export function pointApiKeyAccounts<
  Config extends { accounts: Array<{ id: string; apiKeyEnv: string; regions: RegionConfig[] }> },
>(provider: Config, baseUrlFor: (region: string) => string, keyVariable: (accountId: string) => string): Config {
  return {
    ...provider,
    accounts: provider.accounts.map((account) => ({
      ...account,
      apiKeyEnv: keyVariable(account.id),
      regions: account.regions.map((region) => ({ ...region, baseUrl: baseUrlFor(region.id) })),
    })),
  };
}
