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
