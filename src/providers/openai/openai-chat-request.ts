import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ChatRequest } from '../canonical-chat';

/** Canonical request → OpenAI chat-completions body; the canonical shape already speaks OpenAI. */
/**
 * OpenAI itself takes the completion budget as `max_completion_tokens` (its reasoning models
 * refuse `max_tokens`); openai-compatible servers such as vLLM and Ollama still expect `max_tokens`.
 */
export function toOpenAIRequest(model: string, request: ChatRequest, kind: 'openai' | 'openai-compatible' = 'openai'): ChatCompletionCreateParamsNonStreaming {
  const budgetField = kind === 'openai' ? 'max_completion_tokens' : 'max_tokens';
  return {
    model,
    messages: request.messages as ChatCompletionCreateParamsNonStreaming['messages'],
    ...(request.tools && { tools: request.tools }),
    ...(request.tool_choice && { tool_choice: request.tool_choice }),
    ...(request.response_format && { response_format: request.response_format as ChatCompletionCreateParamsNonStreaming['response_format'] }),
    ...(request.temperature !== undefined && { temperature: request.temperature }),
    ...(request.top_p !== undefined && { top_p: request.top_p }),
    ...(request.max_tokens !== undefined && { [budgetField]: request.max_tokens }),
    ...(request.stop !== undefined && { stop: request.stop }),
    ...(request.user !== undefined && { user: request.user }),
  };
}
