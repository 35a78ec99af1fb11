import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ChatRequest } from '../canonical-chat';

/** Canonical request → OpenAI chat-completions body; the canonical shape already speaks OpenAI. */
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
