import { z } from 'zod';
import { identifier } from '../../config/config-fields';
import { apiKeyAccountSchema, timeoutMs } from '../provider-config-fields';

export const anthropicProviderConfigSchema = z.strictObject({
  id: identifier,
  kind: z.literal('anthropic'),
  timeoutMs,
  /**
   * max_tokens sent when the client gives none (Anthropic requires it).
   * @default 4096
   */
  defaultMaxTokens: z.number().int().positive().default(4096),
  accounts: z.array(apiKeyAccountSchema).min(1),
});

export type AnthropicProviderConfig = z.infer<typeof anthropicProviderConfigSchema>;
