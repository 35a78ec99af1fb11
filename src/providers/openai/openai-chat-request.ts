import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { textOf, type ChatMessage, type ChatRequest } from '../canonical-chat';
import { effortForThinking } from '../reasoning-effort';

type OpenAIBody = ChatCompletionCreateParamsNonStreaming;

type Kind = 'openai' | 'openai-compatible';

/**
 * A canonical message in OpenAI's terms: the fields only other providers read are left out, and a
 * part's cache breakpoint becomes OpenAI's explicit `prompt_cache_breakpoint` (openai-compatible
 * servers cache by themselves and get none).
 */
function toOpenAIMessage(
  { cache_control: _cache, thinking: _thinking, is_error: _error, ...message }: ChatMessage,
  kind: Kind,
): OpenAIBody['messages'][number] {
  const content = Array.isArray(message.content)
    ? message.content.map(({ cache_control: breakpoint, ...part }) =>
        breakpoint && kind === 'openai' && part.type !== 'input_audio'
          ? { ...part, prompt_cache_breakpoint: { mode: 'explicit' } }
          : part,
      )
    : message.content;
  return { ...message, content } as OpenAIBody['messages'][number];
}

/**
 * OpenAI's tool messages take text only: the images and files of a tool result (an Anthropic
 * client's screenshot or PDF, say) follow it in a user message, so the model still sees them.
 */
function toOpenAIMessages(message: ChatMessage, kind: Kind): OpenAIBody['messages'] {
  if (
    message.role !== 'tool' ||
    !Array.isArray(message.content) ||
    message.content.every((part) => part.type === 'text')
  )
    return [toOpenAIMessage(message, kind)];
  const attachments = message.content.filter((part) => part.type !== 'text');
  return [
    toOpenAIMessage({ ...message, content: textOf(message.content) }, kind),
    toOpenAIMessage({ role: 'user', content: attachments }, kind),
  ];
}

/** Tools in OpenAI's shape: the canonical cache breakpoints are Anthropic's and stay behind. */
function toOpenAITools(request: ChatRequest): OpenAIBody['tools'] {
  const tools = [
    ...(request.tools ?? []).map(({ type, function: definition }) => ({ type, function: definition })),
    ...(request.custom_tools ?? []),
  ];
  return tools.length > 0 ? (tools as OpenAIBody['tools']) : undefined;
}

/**
 * Canonical request → OpenAI chat-completions body; the canonical shape already speaks OpenAI.
 * OpenAI itself takes the completion budget as `max_completion_tokens` (its reasoning models
 * refuse `max_tokens`); openai-compatible servers such as vLLM and Ollama still expect `max_tokens`.
 * An Anthropic client's thinking becomes the nearest reasoning effort.
 */
export function toOpenAIRequest(model: string, request: ChatRequest, kind: Kind = 'openai'): OpenAIBody {
  const budgetField = kind === 'openai' ? 'max_completion_tokens' : 'max_tokens';
  const tools = toOpenAITools(request);
  const reasoningEffort = request.reasoning_effort ?? (request.thinking && effortForThinking(request.thinking));
  return {
    model,
    messages: request.messages.flatMap((message) => toOpenAIMessages(message, kind)),
    ...(tools && { tools }),
    ...(request.tool_choice && tools && { tool_choice: request.tool_choice }),
    ...(request.parallel_tool_calls !== undefined && tools && { parallel_tool_calls: request.parallel_tool_calls }),
    ...(request.response_format && { response_format: request.response_format as OpenAIBody['response_format'] }),
    ...(request.temperature !== undefined && { temperature: request.temperature }),
    ...(request.top_p !== undefined && { top_p: request.top_p }),
    ...(request.max_tokens !== undefined && { [budgetField]: request.max_tokens }),
    ...(request.stop !== undefined && { stop: request.stop }),
    ...(request.user !== undefined && { user: request.user }),
    ...(request.n !== undefined && request.n !== 1 && { n: request.n }),
    ...(request.seed !== undefined && { seed: request.seed }),
    ...(request.frequency_penalty !== undefined && { frequency_penalty: request.frequency_penalty }),
    ...(request.presence_penalty !== undefined && { presence_penalty: request.presence_penalty }),
    ...(request.logprobs !== undefined && { logprobs: request.logprobs }),
    ...(request.top_logprobs !== undefined && { top_logprobs: request.top_logprobs }),
    ...(request.logit_bias !== undefined && { logit_bias: request.logit_bias }),
    ...(reasoningEffort && { reasoning_effort: reasoningEffort as OpenAIBody['reasoning_effort'] }),
    ...(request.metadata !== undefined && { metadata: request.metadata }),
    ...(request.end_user !== undefined && { safety_identifier: request.end_user }),
    // vLLM's sampling extension; OpenAI itself never gets it (see parameter-support).
    ...(request.top_k !== undefined && { top_k: request.top_k }),
    ...request.openai,
  };
}
