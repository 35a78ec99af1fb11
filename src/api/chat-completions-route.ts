import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { ChatRequest } from '../providers/canonical-chat';
import { inferenceWorkflowIdPrefix } from '../workflows/inference-types';
import type { ApiDependencies } from './api-dependencies';
import { chatCompletionBodySchema, type ChatCompletionBody } from './chat-completion-schema';
import { sendGatewayError, sendTemporalUnavailable } from './gateway-error-response';
import { admitInference, settleAdmission } from './inference-admission';
import { inferenceInput } from './inference-input';
import { sendOpenAIError, sendOpenAIRefusal } from './openai-error';
import { awaitInference, IdempotencyConflictError, startInference } from './run-inference';
import { idempotencyConflict, readIdempotency } from './idempotency';
import { setGatewayHeaders, toOpenAICompletion } from './to-openai-completion';
import { describeZodError } from './zod-error-message';
import { requestNeeds } from './request-needs';

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

/** POST /v1/chat/completions: one durable `inference` workflow per request. */
export function chatCompletionsRoute(dependencies: ApiDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const receivedAt = performance.now();
    const parsed = chatCompletionBodySchema.safeParse(request.body);
    if (!parsed.success) {
      sendOpenAIError(response, 400, { type: 'invalid_request_error', code: 'invalid_request', ...describeZodError(parsed.error) });
      return;
    }
    const body = parsed.data;
    const { idempotency, refusal } = readIdempotency(request);
    if (refusal) {
      sendOpenAIRefusal(response, refusal);
      return;
    }
    const chatRequest = toChatRequest(body);
    const needs = requestNeeds(chatRequest);
    const admission = await admitInference(request, body.model, needs.estimatedPromptTokens + needs.maxOutputTokens, dependencies);
    if (!admission.admitted) {
      sendOpenAIRefusal(response, admission.refusal);
      return;
    }
    const input = inferenceInput(request, admission, dependencies.getConfig(), { modelGroup: body.model, needs, request: chatRequest });
    const workflowId = idempotency?.workflowId ?? `${inferenceWorkflowIdPrefix}${randomUUID()}`;
    let handle;
    try {
      handle = await startInference(dependencies, input, workflowId, idempotency?.fingerprint);
    } catch (error) {
      settleAdmission(dependencies, admission, 0);
      if (error instanceof IdempotencyConflictError) {
        sendOpenAIRefusal(response, idempotencyConflict(error.message));
        return;
      }
      // The start may still have reached Temporal: give the id so the client can look before retrying.
      response.setHeader('x-gateway-inference-id', workflowId);
      sendTemporalUnavailable(response, error, workflowId);
      return;
    }
    response.setHeader('x-gateway-inference-id', workflowId);
    const clientGone = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) clientGone.abort();
    });
    // An idempotent request is meant to be retried: its disconnect must not cancel the shared inference.
    const outcome = await awaitInference(dependencies, handle, input, receivedAt, idempotency ? undefined : clientGone.signal);
    // A pending inference keeps its estimate: it may still be using tokens.
    if (outcome.kind !== 'pending') settleAdmission(dependencies, admission, outcome.kind === 'result' ? outcome.result.response.usage.totalTokens : 0);
    if (outcome.kind === 'result') {
      setGatewayHeaders(response, workflowId, outcome.result);
      response.json(toOpenAICompletion(outcome.result, body.model));
      return;
    }
    if (outcome.kind === 'pending') {
      sendOpenAIError(response, 504, { message: outcome.message, type: 'api_error', code: 'inference_pending' });
      return;
    }
    const { failure } = outcome;
    const route = failure.details?.route;
    if (route) {
      response.setHeader('x-gateway-provider', route.provider);
      response.setHeader('x-gateway-model', route.model);
      response.setHeader('x-gateway-account', route.account);
      response.setHeader('x-gateway-region', route.region);
    }
    if (failure.details) response.setHeader('x-gateway-attempts', String(failure.details.attempts));
    if (failure.details?.retryAfterMs !== undefined) response.setHeader('retry-after', String(Math.max(1, Math.ceil(failure.details.retryAfterMs / 1000))));
    sendGatewayError(response, failure.type, failure.message, { attempts: failure.details?.decision.attempts ?? [] });
  };
}
