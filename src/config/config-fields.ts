import { z } from 'zod';

/** An id in config: a provider, account, region, tenant, key or policy name. */
export const identifier = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'use letters, digits, ".", "_" or "-"');

/** Secrets are named by the environment variable that holds them, never written inline. */
export const envVarName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name such as OPENAI_API_KEY');
