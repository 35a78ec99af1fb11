import OpenAI from 'openai';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { ProviderConfig } from '../../config/gateway-config-schema';
import type { ProviderAdapter, ProviderChatCall } from '../provider-adapter';
import { createClientCache } from '../client-cache';
import { ProviderCallError } from '../provider-error';
import { readSecret } from '../read-secret';
import { classifyOpenAIError } from './openai-errors';
import { toOpenAIRequest } from './openai-chat-request';
import { fromOpenAIResponse } from './openai-chat-response';
import { createOpenAIChunkTranslator } from './openai-chat-stream';

type OpenAIProviderConfig = Extract<ProviderConfig, { kind: 'openai' | 'openai-compatible' }>;

export const openAIDefaultBaseUrl = 'https://api.openai.com/v1';

/** Serves the openai and openai-compatible kinds: the same wire format, a configurable base URL. */
export function createOpenAIChatAdapter(): ProviderAdapter<OpenAIProviderConfig> {
  const cached = createClientCache<OpenAI>();
  const clientFor = ({ provider, account, region, environment }: ProviderChatCall<OpenAIProviderConfig>): OpenAI => {
    const apiKey = readSecret(environment, account.apiKeyEnv, account.id);
    const baseURL = region.baseUrl ?? openAIDefaultBaseUrl;
    // Temporal owns retries.
    return cached([provider.id, account.id, region.id, baseURL, apiKey, provider.timeoutMs], () => new OpenAI({ apiKey, baseURL, maxRetries: 0, timeout: provider.timeoutMs }));
  };

  return {
    async chat(call) {
      const client = clientFor(call);
      const body = toOpenAIRequest(call.model, call.request, call.provider.kind);
      let completion: ChatCompletion;
      try {
        completion = await client.chat.completions.create(body, { signal: call.signal });
      } catch (error) {
        throw new ProviderCallError(classifyOpenAIError(error));
      }
      return fromOpenAIResponse(completion);
    },

    async *stream(call) {
      const client = clientFor(call);
      const body = { ...toOpenAIRequest(call.model, call.request, call.provider.kind), stream: true as const, stream_options: { include_usage: true } };
      const translate = createOpenAIChunkTranslator();
      try {
        const chunks = await client.chat.completions.create(body, { signal: call.signal });
        for await (const chunk of chunks) yield* translate(chunk);
      } catch (error) {
        throw new ProviderCallError(classifyOpenAIError(error));
      }
    },
  };
}
