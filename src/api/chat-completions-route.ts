import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { ChatRequest } from '../providers/canonical-chat';
import { inferenceWorkflowIdPrefix, type InferenceInput } from '../workflows/inference-types';
import { gatewaySearchAttributes } from '../workflows/search-attributes';
import type { inference } from '../workflows/inference-workflow';
import type { ApiDependencies } from './api-dependencies';
import { chatCompletionBodySchema, type ChatCompletionBody } from './chat-completion-schema';
import { sendGatewayError, sendTemporalUnavailable } from './gateway-error-response';
import { readInferenceFailure } from './inference-failure';
import { sendOpenAIError } from './openai-error';
import { setGatewayHeaders, toOpenAICompletion } from './to-openai-completion';
import { describeZodError } from './zod-error-message';
import { requestNeeds } from './request-needs';
import { logger as defaultLogger } from '../observability/logger';
import { fallbacksTotal, inferenceDuration, inferencesTotal } from '../observability/metrics';
import { trafficClassNames, type TrafficClassName } from '../config/gateway-config-schema';
import { trafficClassPolicy } from '../config/traffic-class-policy';

/** Time past a traffic class's deadline that a synchronous caller still waits for the last attempt. */
const resultGraceMs = 70_000;

function isTrafficClass(value: string): value is TrafficClassName {
  return (trafficClassNames as readonly string[]).includes(value);
}

function toChatRequest(body: ChatCompletionBody): ChatRequest {
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
/** Conservative Retry-After for a tenant or key over its per-minute limit: the window's length. */
const rateWindowRetryAfterSeconds = 60;

export function chatCompletionsRoute({ client, getConfig, taskQueue, temporalDeadlineMs = 5_000, logger = defaultLogger, rateLimits }: ApiDependencies) {
  return async (request: Request, response: Response): Promise<void> => {
    const receivedAt = performance.now();
    const parsed = chatCompletionBodySchema.safeParse(request.body);
    if (!parsed.success) {
      sendOpenAIError(response, 400, { type: 'invalid_request_error', code: 'invalid_request', ...describeZodError(parsed.error) });
      return;
    }
    const body = parsed.data;
    if (!getConfig().modelGroups.some((group) => group.name === body.model)) {
      sendOpenAIError(response, 404, {
        message: `The model "${body.model}" does not exist; GET /v1/models lists the models you may use.`,
        type: 'invalid_request_error',
        code: 'model_not_found',
        param: 'model',
      });
      return;
    }
    const owner = request.keyOwner;
    if (owner?.modelGroups && !owner.modelGroups.includes(body.model)) {
      sendOpenAIError(response, 403, {
        message: `This key may not use the model "${body.model}".`,
        type: 'permission_error',
        code: 'model_not_allowed',
        param: 'model',
      });
      return;
    }
    // Each tenant's and each key's limit is its own window: one tenant's burst never uses another's.
    const windows = [
      ...(owner?.tenantRpm ? [{ key: `tenant/${owner.tenant}`, rpm: owner.tenantRpm, who: `tenant "${owner.tenant}"` }] : []),
      ...(owner?.rpm ? [{ key: `key/${owner.tenant}/${owner.keyId}`, rpm: owner.rpm, who: `key "${owner.keyId}"` }] : []),
    ];
    for (const window of windows) {
      let allowed = true;
      try {
        allowed = !rateLimits || (await rateLimits.reserve(window.key, { rpm: window.rpm }, 0, Date.now())) !== undefined;
      } catch (error) {
        // Limits fail closed: without the shared state the gateway cannot prove the request is allowed.
        logger.error({ tenant: owner?.tenant, keyId: owner?.keyId, error: (error as Error).message }, 'rate-limit state unavailable');
        sendOpenAIError(response, 503, { message: 'The gateway cannot read its rate-limit state right now, so it refuses rather than ignore the limits; retry shortly.', type: 'api_error', code: 'state_unavailable' });
        return;
      }
      if (!allowed) {
        response.setHeader('retry-after', String(rateWindowRetryAfterSeconds));
        sendOpenAIError(response, 429, { message: `The ${window.who} has reached its limit of ${window.rpm} requests per minute.`, type: 'rate_limit_error', code: 'rate_limited' });
        return;
      }
    }
    const trafficClass = request.header('x-traffic-class') ?? owner?.defaultTrafficClass ?? 'standard';
    if (!isTrafficClass(trafficClass)) {
      sendOpenAIError(response, 400, {
        message: `Unknown traffic class "${trafficClass}" in x-traffic-class; use one of ${trafficClassNames.join(', ')}.`,
        type: 'invalid_request_error',
        code: 'invalid_traffic_class',
        param: 'x-traffic-class',
      });
      return;
    }
    const tenant = request.keyOwner?.tenant ?? 'unknown';
    const session = request.header('x-session-id')?.slice(0, 200);
    const chatRequest = toChatRequest(body);
    const feature = request.header('x-feature')?.slice(0, 200);
    const input: InferenceInput = {
      tenant,
      keyId: owner?.keyId,
      ...(feature && { feature }),
      ...(session && { session }),
      modelGroup: body.model,
      trafficClass,
      ...(owner?.allowedProviders && { allowedProviders: owner.allowedProviders }),
      ...(owner?.residency && { residency: owner.residency }),
      needs: requestNeeds(chatRequest),
      request: chatRequest,
    };
    const workflowId = `${inferenceWorkflowIdPrefix}${randomUUID()}`;
    let handle;
    try {
      handle = await client.withDeadline(Date.now() + temporalDeadlineMs, () =>
        client.workflow.start<typeof inference>('inference', {
          taskQueue,
          workflowId,
          args: [input],
          memo: { tenant, modelGroup: body.model },
          staticSummary: `${body.model} for ${tenant} (${trafficClass})`,
          typedSearchAttributes: [
            { key: gatewaySearchAttributes.tenant, value: tenant },
            { key: gatewaySearchAttributes.trafficClass, value: trafficClass },
            ...(session ? [{ key: gatewaySearchAttributes.session, value: session }] : []),
          ],
          // When a worker shares this client's connection (the embedded stack), the server hands it
          // the first workflow task directly, saving a round trip.
          requestEagerStart: true,
        }),
      );
    } catch (error) {
      // The start may still have reached Temporal: give the id so the client can look before retrying.
      response.setHeader('x-gateway-inference-id', workflowId);
      sendTemporalUnavailable(response, error, workflowId);
      return;
    }
    response.setHeader('x-gateway-inference-id', workflowId);
    // A synchronous caller waits at most the traffic class's deadline (plus the last attempt's
    // time); the inference itself carries on durably and stays readable by id.
    const waitMs = trafficClassPolicy(getConfig(), trafficClass).deadlineMs + resultGraceMs;
    const abandon = new AbortController();
    const timer = setTimeout(() => abandon.abort(), waitMs);
    const finished = (outcome: string, fallbacks: number, extra: Record<string, unknown> = {}) => {
      const seconds = (performance.now() - receivedAt) / 1000;
      inferencesTotal.inc({ model_group: body.model, traffic_class: trafficClass, outcome });
      if (fallbacks > 0) fallbacksTotal.inc({ model_group: body.model }, fallbacks);
      inferenceDuration.observe({ model_group: body.model, outcome }, seconds);
      logger.info({ inferenceId: workflowId, tenant, keyId: owner?.keyId, modelGroup: body.model, trafficClass, outcome, fallbacks, durationMs: Math.round(seconds * 1000), ...extra }, 'inference finished');
    };
    try {
      const result = await client.withAbortSignal(abandon.signal, () => handle.result());
      setGatewayHeaders(response, workflowId, result);
      response.json(toOpenAICompletion(result, body.model));
      finished('success', result.decision.attempts.length - 1, { provider: result.route.provider, model: result.route.model, region: result.route.region, attempts: result.attempts });
    } catch (error) {
      const failure = readInferenceFailure(error);
      if (failure) finished(failure.type, Math.max(0, (failure.details?.decision.attempts.length ?? 1) - 1), { attempts: failure.details?.attempts });
      if (!failure) {
        sendOpenAIError(response, 504, {
          message: abandon.signal.aborted
            ? `The inference ${workflowId} is still running after ${Math.round(waitMs / 1000)} s; GET /v1/inferences/${workflowId} returns its result when it ends.`
            : `The inference ${workflowId} was accepted, but the gateway lost contact with Temporal while waiting; GET /v1/inferences/${workflowId} returns its result.`,
          type: 'api_error',
          code: 'inference_pending',
        });
        return;
      }
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
    } finally {
      clearTimeout(timer);
    }
  };
}
