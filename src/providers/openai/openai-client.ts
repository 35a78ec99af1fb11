import OpenAI from 'openai';
import type { OpenAIProviderConfig } from './openai-provider-config';
import { createClientCache } from '../client-cache';
import type { ProviderChatCall } from '../provider-adapter';
import { readSecret } from '../read-secret';

export const openAIDefaultBaseUrl = 'https://api.openai.com/v1';

/** One official OpenAI client per account, region, base URL, key and timeout, with the SDK's retries off. */
export function createOpenAIClients() {
  const cached = createClientCache<OpenAI>();
  return ({
    provider,
    account,
    region,
    environment,
  }: Pick<ProviderChatCall<OpenAIProviderConfig>, 'provider' | 'account' | 'region' | 'environment'>): OpenAI => {
    const apiKey = readSecret(environment, account.apiKeyEnv, account.id);
    const baseURL = region.baseUrl ?? openAIDefaultBaseUrl;
    // Temporal owns retries.
    return cached(
      [provider.id, account.id, region.id, baseURL, apiKey, provider.timeoutMs],
      () => new OpenAI({ apiKey, baseURL, maxRetries: 0, timeout: provider.timeoutMs }),
    );
  };
}
