import Anthropic from '@anthropic-ai/sdk';
import type { AnthropicProviderConfig } from './anthropic-provider-config';
import type { ProviderAdapter, ProviderChatCall } from '../provider-adapter';
import { createClientCache } from '../client-cache';
import { ProviderCallError } from '../provider-error';
import { readSecret } from '../read-secret';
import { classifyAnthropicError } from './anthropic-errors';
import { anthropicBetaHeaders, toAnthropicRequest } from './anthropic-messages-request';
import { fromAnthropicResponse } from './anthropic-messages-response';
import { createAnthropicEventTranslator } from './anthropic-messages-stream';

export const anthropicDefaultBaseUrl = 'https://api.anthropic.com';

/** Calls Anthropic's Messages API through @anthropic-ai/sdk. */
export function createAnthropicMessagesAdapter(): ProviderAdapter<AnthropicProviderConfig> {
  const cached = createClientCache<Anthropic>();
  const clientFor = ({
    provider,
    account,
    region,
    environment,
  }: ProviderChatCall<AnthropicProviderConfig>): Anthropic => {
    const apiKey = readSecret(environment, account.apiKeyEnv, account.id);
    const baseURL = region.baseUrl ?? anthropicDefaultBaseUrl;
    // Temporal owns retries.
    return cached(
      [provider.id, account.id, region.id, baseURL, apiKey, provider.timeoutMs],
      () => new Anthropic({ apiKey, baseURL, maxRetries: 0, timeout: provider.timeoutMs }),
    );
  };

  return {
    async chat(call) {
      const client = clientFor(call);
      const body = toAnthropicRequest(call.model, call.request, call.provider.defaultMaxTokens);
      let message: Anthropic.Message;
      try {
        message = await client.messages.create(body, {
          signal: call.signal,
          headers: anthropicBetaHeaders(call.request),
        });
      } catch (error) {
        throw new ProviderCallError(classifyAnthropicError(error));
      }
      return fromAnthropicResponse(message);
    },

    async *stream(call) {
      const client = clientFor(call);
      const body = {
        ...toAnthropicRequest(call.model, call.request, call.provider.defaultMaxTokens),
        stream: true as const,
      };
      const translate = createAnthropicEventTranslator();
      try {
        const events = await client.messages.create(body, {
          signal: call.signal,
          headers: anthropicBetaHeaders(call.request),
        });
        for await (const event of events) yield* translate(event);
      } catch (error) {
        throw new ProviderCallError(classifyAnthropicError(error));
      }
    },
  };
}
