import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ChatRequest, ChatResponse, FinishReason } from '../canonical-chat';
import type { ProviderAdapter, ProviderChatCall, ResolvedEndpoint } from '../provider-adapter';
import { ProviderCallError } from '../provider-error';
import { classifyOpenAIError } from './openai-errors';

export function toOpenAIRequest(model: string, request: ChatRequest): ChatCompletionCreateParamsNonStreaming {
  return {
    model,
    messages: request.messages as ChatCompletionCreateParamsNonStreaming['messages'],
    ...(request.temperature !== undefined && { temperature: request.temperature }),
    ...(request.top_p !== undefined && { top_p: request.top_p }),
    ...(request.max_tokens !== undefined && { max_tokens: request.max_tokens }),
    ...(request.stop !== undefined && { stop: request.stop }),
    ...(request.user !== undefined && { user: request.user }),
  };
}

const finishReasons: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
};

export function fromOpenAIResponse(completion: ChatCompletion): ChatResponse {
  const choice = completion.choices?.[0];
  if (!choice) {
    throw new ProviderCallError({ type: 'ServerError', message: 'The provider returned no choices' });
  }
  return {
    id: completion.id,
    created: completion.created,
    model: completion.model,
    content: choice.message?.content ?? null,
    finishReason: finishReasons[choice.finish_reason] ?? 'stop',
    usage: {
      promptTokens: completion.usage?.prompt_tokens ?? 0,
      completionTokens: completion.usage?.completion_tokens ?? 0,
      totalTokens: completion.usage?.total_tokens ?? 0,
      cachedPromptTokens: completion.usage?.prompt_tokens_details?.cached_tokens ?? undefined,
    },
  };
}

/** Serves the openai and openai-compatible kinds: the same wire format, a configurable base URL. */
export function createOpenAIChatAdapter(): ProviderAdapter {
  const clients = new Map<string, OpenAI>();
  const clientFor = (endpoint: ResolvedEndpoint): OpenAI => {
    const key = `${endpoint.baseUrl}\u0000${endpoint.apiKey}\u0000${endpoint.timeoutMs}`;
    let client = clients.get(key);
    if (!client) {
      client = new OpenAI({
        apiKey: endpoint.apiKey,
        baseURL: endpoint.baseUrl,
        maxRetries: 0, // Temporal owns every retry.
        timeout: endpoint.timeoutMs,
      });
      clients.set(key, client);
    }
    return client;
  };

  return {
    async chat({ model, request, endpoint, signal }: ProviderChatCall): Promise<ChatResponse> {
      let completion: ChatCompletion;
      try {
        completion = await clientFor(endpoint).chat.completions.create(toOpenAIRequest(model, request), { signal });
      } catch (error) {
        throw new ProviderCallError(classifyOpenAIError(error));
      }
      return fromOpenAIResponse(completion);
    },
  };
}
