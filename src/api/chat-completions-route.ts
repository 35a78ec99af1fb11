import type { Request, Response } from 'express';
import type { ChatRequest } from '../providers/canonical-chat';
import type { ApiDependencies } from './api-dependencies';
import { chatCompletionBodySchema, type ChatCompletionBody } from './chat-completion-schema';
import { openAIApiShape } from './openai-api-shape';
import { sendOpenAIError } from './openai-error';
import { serveInference } from './respond-to-inference';
import { describeZodError } from './zod-error-message';

export function toChatRequest(body: ChatCompletionBody): ChatRequest {
  return {
    // OpenAI's newer "developer" role means what "system" means to every provider.
    messages: body.messages.map((message) => {
      if (message.role === 'developer') return { ...message, role: 'system' as const };
      if (message.role === 'assistant') {
        const { refusal: _refusal, ...rest } = message;
        return { ...rest, content: rest.content ?? null };
      }
      return message;
    }),
    tools: body.tools?.map(({ type, function: { name, description, parameters } }) => ({ type, function: { name, description, parameters } })),
    tool_choice: body.tool_choice,
    response_format: body.response_format,
    temperature: body.temperature,
    top_p: body.top_p,
    max_tokens: body.max_completion_tokens ?? body.max_tokens,
    stop: body.stop,
    user: body.user,
  };
}

/** POST /v1/chat/completions: one durable `inference` workflow per request, answered whole or streamed. */
export function chatCompletionsRoute(dependencies: ApiDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const receivedAt = performance.now();
    const parsed = chatCompletionBodySchema.safeParse(request.body);
    if (!parsed.success) {
      sendOpenAIError(response, 400, { type: 'invalid_request_error', code: 'invalid_request', ...describeZodError(parsed.error) });
      return;
    }
    const body = parsed.data;
    const shape = openAIApiShape(body.model, { includeUsage: body.stream_options?.include_usage === true });
    await serveInference(dependencies, request, response, shape, { modelGroup: body.model, request: toChatRequest(body), stream: body.stream === true }, receivedAt);
  };
}
