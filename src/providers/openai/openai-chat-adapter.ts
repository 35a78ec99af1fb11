import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { OpenAIProviderConfig } from './openai-provider-config';
import type { ProviderAdapter } from '../provider-adapter';
import { ProviderCallError } from '../provider-error';
import { createOpenAIClients } from './openai-client';
import { classifyOpenAIError } from './openai-errors';
import { toOpenAIRequest } from './openai-chat-request';
import { fromOpenAIResponse } from './openai-chat-response';
import { createOpenAIChunkTranslator } from './openai-chat-stream';

/** Serves the openai and openai-compatible kinds: the same wire format, a configurable base URL. */
export function createOpenAIChatAdapter(): ProviderAdapter<OpenAIProviderConfig> {
  const clientFor = createOpenAIClients();

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
      const body = {
        ...toOpenAIRequest(call.model, call.request, call.provider.kind),
        stream: true as const,
        stream_options: { include_usage: true },
      };
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
