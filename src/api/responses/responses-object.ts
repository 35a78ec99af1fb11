import type { ChatResponse, ChatUsage, FinishReason, ThinkingBlock, ToolCall } from '../../providers/canonical-chat';
import type { InferenceResult } from '../../workflows/inference-types';
import { functionCallItemId, messageItemId, reasoningItemId, responseId } from './responses-item-ids';
import { encodeReasoning, reasoningBlocks } from './responses-reasoning';
import type { ResponsesBody } from './responses-schema';

/** The request's settings a response object repeats, with the API's defaults for those not set. */
export type ResponsesEcho = ReturnType<typeof responsesEcho>;

export function responsesEcho(body: ResponsesBody, modelGroup: string) {
  return {
    model: modelGroup,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? null },
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: { format: body.text?.format ?? { type: 'text' }, verbosity: body.text?.verbosity ?? 'medium' },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? 'disabled',
    metadata: body.metadata ?? {},
    background: body.background ?? false,
    ...(body.user !== undefined && { user: body.user }),
    ...(body.safety_identifier != null && { safety_identifier: body.safety_identifier }),
    ...(body.prompt_cache_key != null && { prompt_cache_key: body.prompt_cache_key }),
    ...(body.top_logprobs != null && { top_logprobs: body.top_logprobs }),
  };
}

export function toResponsesUsage(usage: ChatUsage) {
  return {
    input_tokens: usage.promptTokens,
    input_tokens_details: {
      cached_tokens: usage.cachedPromptTokens ?? 0,
      // OpenAI's spec requires it: 0 where the provider reports no cache write.
      cache_write_tokens: usage.cacheWriteTokens ?? 0,
    },
    output_tokens: usage.completionTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.totalTokens,
  };
}

/** A chat-completions logprobs list in the Responses API's form (no `bytes` on alternatives it omits). */
export function toResponsesLogprobs(logprobs: unknown): unknown[] {
  const content = (logprobs as { content?: unknown[] } | null | undefined)?.content;
  return Array.isArray(content) ? content : [];
}

/** `completed`, or `incomplete` with the reason when the answer was cut short. */
export function responseStatus(finishReason: FinishReason | undefined) {
  if (finishReason === 'length')
    return { status: 'incomplete' as const, incomplete_details: { reason: 'max_output_tokens' } };
  if (finishReason === 'content_filter')
    return { status: 'incomplete' as const, incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed' as const, incomplete_details: null };
}

export const outputTextPart = (text: string, logprobs: unknown[] = []) => ({
  type: 'output_text' as const,
  text,
  annotations: [],
  logprobs,
});

export const messageItem = (inferenceId: string, status: string, content: unknown[]) => ({
  id: messageItemId(inferenceId),
  type: 'message' as const,
  status,
  role: 'assistant' as const,
  content,
});

export const functionCallItem = (inferenceId: string, index: number, call: ToolCall, status: string) => ({
  id: functionCallItemId(inferenceId, index),
  type: 'function_call' as const,
  status,
  call_id: call.id,
  name: call.function.name,
  arguments: call.function.arguments,
});

export const summaryPart = (text: string) => ({ type: 'summary_text' as const, text });

/**
 * The answer's reasoning as one reasoning item: a summary part per reasoning block (the reasoning
 * text itself, as the route gave it), and with `include: ["reasoning.encrypted_content"]` the
 * blocks and their signatures, for sending back in a later turn.
 */
export function reasoningItem(inferenceId: string, blocks: ThinkingBlock[], encrypted: boolean) {
  return {
    id: reasoningItemId(inferenceId),
    type: 'reasoning' as const,
    summary: blocks.flatMap((block) => (block.type === 'thinking' ? [summaryPart(block.thinking)] : [])),
    ...(encrypted && { encrypted_content: encodeReasoning(blocks) }),
  };
}

function outputItems(response: ChatResponse, inferenceId: string, encryptedReasoning: boolean): unknown[] {
  const items: unknown[] = [];
  const blocks = reasoningBlocks(response);
  if (blocks.length > 0) items.push(reasoningItem(inferenceId, blocks, encryptedReasoning));
  if (response.content)
    items.push(
      messageItem(inferenceId, 'completed', [outputTextPart(response.content, toResponsesLogprobs(response.logprobs))]),
    );
  (response.toolCalls ?? []).forEach((call, index) =>
    items.push(functionCallItem(inferenceId, index, call, 'completed')),
  );
  return items;
}

/** The envelope every response object and stream event shares. */
export function responseEnvelope(inferenceId: string, createdAt: number, echo: ResponsesEcho) {
  return { id: responseId(inferenceId), object: 'response' as const, created_at: createdAt, error: null, ...echo };
}

/** Maps the canonical result back to the Responses API's `response` object. */
export function toResponsesObject(
  result: InferenceResult,
  inferenceId: string,
  echo: ResponsesEcho,
  encryptedReasoning = false,
) {
  const { response } = result;
  return {
    ...responseEnvelope(inferenceId, response.created, echo),
    ...responseStatus(response.finishReason),
    completed_at: Math.floor(Date.now() / 1000),
    output: outputItems(response, inferenceId, encryptedReasoning),
    usage: toResponsesUsage(response.usage),
    ...(response.serviceTier && { service_tier: response.serviceTier }),
  };
}
