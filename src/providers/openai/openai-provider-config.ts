import { z } from 'zod';
import { identifier } from '../../config/config-fields';
import { apiKeyAccountSchema, timeoutMs } from '../provider-config-fields';

export const openAIProviderConfigSchema = z.strictObject({
  id: identifier,
  kind: z.literal('openai'),
  timeoutMs,
  accounts: z.array(apiKeyAccountSchema).min(1),
});

/** Any server that speaks OpenAI chat completions; every region needs a `baseUrl` (checked with the whole config). */
export const openAICompatibleProviderConfigSchema = z.strictObject({
  id: identifier,
  kind: z.literal('openai-compatible'),
  timeoutMs,
  accounts: z.array(apiKeyAccountSchema).min(1),
});

export type OpenAIProviderConfig =
  z.infer<typeof openAIProviderConfigSchema> | z.infer<typeof openAICompatibleProviderConfigSchema>;
