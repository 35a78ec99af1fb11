import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ProviderConfig } from '../../config/gateway-config-schema';
import type { ChatRequest, ChatResponse } from '../canonical-chat';
import type { ProviderAdapter, ProviderChatCall } from '../provider-adapter';
import { ProviderCallError } from '../provider-error';
import { readSecret } from '../read-secret';
import { classifyOpenAIError } from './openai-errors';
import { mapOpenAIFinishReason } from './map-openai-finish-reason';

type OpenAIProviderConfig = Extract<ProviderConfig, { kind: 'openai' | 'openai-compatible' }>;

export const openAIDefaultBaseUrl = 'https://api.openai.com/v1';

export function toOpenAIRequest(model: string, request: ChatRequest): ChatCompletionCreateParamsNonStreaming {
  return {
    model,
    messages: request.messages as ChatCompletionCreateParamsNonStreaming['messages'],
    ...(request.tools && { tools: request.tools }),
    ...(request.tool_choice && { tool_choice: request.tool_choice }),
    ...(request.response_format && { response_format: request.response_format as ChatCompletionCreateParamsNonStreaming['response_format'] }),
    ...(request.temperature !== undefined && { temperature: request.temperature }),
    ...(request.top_p !== undefined && { top_p: request.top_p }),
    ...(request.max_tokens !== undefined && { max_tokens: request.max_tokens }),
    ...(request.stop !== undefined && { stop: request.stop }),
    ...(request.user !== undefined && { user: request.user }),
  };
}

export function fromOpenAIResponse(completion: ChatCompletion): ChatResponse {
  const choice = completion.choices?.[0];
  if (!choice?.message) {
    throw new ProviderCallError({ type: 'ServerError', message: 'The provider returned no choices' });
  }
  const toolCalls = (choice.message.tool_calls ?? [])
    .filter((call) => call.type === 'function')
    .map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.function.name, arguments: call.function.arguments } }));
  return {
    id: completion.id,
    created: completion.created,
    model: completion.model,
    content: choice.message.content ?? null,
    ...(toolCalls.length > 0 && { toolCalls }),
    finishReason: mapOpenAIFinishReason(choice.finish_reason),
    usage: {
      promptTokens: completion.usage?.prompt_tokens ?? 0,
      completionTokens: completion.usage?.completion_tokens ?? 0,
      totalTokens: completion.usage?.total_tokens ?? 0,
      cachedPromptTokens: completion.usage?.prompt_tokens_details?.cached_tokens ?? undefined,
    },
  };
}

/** Serves the openai and openai-compatible kinds: the same wire format, a configurable base URL. */
export function createOpenAIChatAdapter(): ProviderAdapter<OpenAIProviderConfig> {
  const clients = new Map<string, OpenAI>();
  const clientFor = ({ provider, account, region, environment }: ProviderChatCall<OpenAIProviderConfig>): OpenAI => {
    const apiKey = readSecret(environment, account.apiKeyEnv, account.id);
    const baseURL = region.baseUrl ?? openAIDefaultBaseUrl;
    const key = [provider.id, account.id, region.id, baseURL, apiKey, provider.timeoutMs].join('\u0000');
    let client = clients.get(key);
    if (!client) {
      client = new OpenAI({ apiKey, baseURL, maxRetries: 0, timeout: provider.timeoutMs }); // Temporal owns retries.
      clients.set(key, client);
    }
    return client;
  };

  return {
    async chat(call) {
      const client = clientFor(call);
      let completion: ChatCompletion;
      try {
        completion = await client.chat.completions.create(toOpenAIRequest(call.model, call.request), { signal: call.signal });
      } catch (error) {
        throw new ProviderCallError(classifyOpenAIError(error));
      }
      return fromOpenAIResponse(completion);
    },
  };
}
