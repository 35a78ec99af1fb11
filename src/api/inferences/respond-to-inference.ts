import type { Request, Response } from 'express';
import type { ChatRequest } from '../../providers/canonical-chat';
import { randomUUID } from 'node:crypto';
import { inferenceWorkflowIdPrefix, type InferenceInput } from '../../workflows/inference-types';
import type { ApiDependencies } from '../api-dependencies';
import { sendRefusal, type ApiShape } from '../api-shape';
import { sendUnsuccessfulOutcome } from '../gateway-error-response';
import { readIdempotency } from './idempotency';
import { admitInference, settleAdmission } from '../admission/inference-admission';
import { cancelWhenClientLeaves, startFor, type AdmittedRequest } from './inference-start';
import { inferenceInput } from './inference-input';
import { requestNeeds } from '../admission/request-needs';
import { awaitInference } from './run-inference';
import { streamInference } from './stream-inference';
import { StreamSession } from './stream-session';
import { SseWriter } from './sse-writer';
import { cachedResult, lookUpAnswer, recordHit, rememberAnswer } from '../cached-answer';
import { cacheUse, type CacheUse } from '../../cache/cache-policy';
import { setGatewayHeaders } from '../answer-headers';
import { gatewayHeaders } from '../gateway-headers';
import { guardAnswer } from '../answer-guardrails';
import { guardRequest } from '../request-guardrails';
import { streamGuarding } from '../../guardrails/run-guardrails';

/**
 * Runs one admitted request as a durable `inference` workflow and answers in the API's shape: the
 * whole answer when the inference ends, or a stream of it when the input asks for one.
 */
export async function respondToInference(
  dependencies: ApiDependencies,
  response: Response,
  input: InferenceInput,
  shape: ApiShape,
  receivedAt: number,
  admitted: AdmittedRequest,
): Promise<void> {
  const inferenceId = admitted.idempotency?.workflowId ?? `${inferenceWorkflowIdPrefix}${randomUUID()}`;
  const hit = await lookUpAnswer(dependencies, response, input, admitted.cache);
  if (hit) {
    // No provider call: the tokens the admission reserved in the windows are given back.
    settleAdmission(dependencies, admitted.admission, 0);
    const { answer, auditId } = hit;
    response.setHeader(gatewayHeaders.inferenceId, auditId); // a refusal names the entry too
    let checked: Parameters<typeof recordHit>[2] = { verdicts: [] };
    const result = await guardAnswer(
      dependencies,
      response,
      shape,
      admitted.guardrails,
      input,
      auditId,
      cachedResult(answer, input),
      (outcome) => (checked = outcome),
    );
    // The audit entry says what the client got: the verdicts, and the refusal if an output check refused.
    recordHit(dependencies, hit, {
      ...checked,
      verdicts: [...(input.guardrails?.verdicts ?? []), ...checked.verdicts],
    });
    if (!result) return;
    // The body keeps the answer's own ids (a Responses `resp_…` names its inference); the header names this hit.
    if (input.stream) {
      new StreamSession(shape, answer.inferenceId, new SseWriter(response), () => undefined, auditId).onOutcome({
        kind: 'result',
        result,
      });
      return;
    }
    setGatewayHeaders(response, auditId, result);
    response.json(shape.answer(result, answer.inferenceId));
    return;
  }
  // Output checks hold a stream until the whole answer has passed them (docs/guardrails.md).
  if (input.stream && streamGuarding(admitted.guardrails ?? []) !== 'hold') {
    await streamInference(dependencies, response, input, shape, receivedAt, inferenceId, admitted);
    return;
  }
  const handle = await startFor(dependencies, response, input, shape, admitted, inferenceId);
  if (!handle) return;
  response.setHeader(gatewayHeaders.inferenceId, inferenceId);
  let ended = false;
  cancelWhenClientLeaves(dependencies, response, handle, admitted.idempotency, () => ended);
  const outcome = await awaitInference(dependencies, handle, input, receivedAt);
  ended = true;
  // A pending inference keeps its estimate in the windows: it may still be using tokens.
  if (outcome.kind !== 'pending')
    settleAdmission(
      dependencies,
      admitted.admission,
      outcome.kind === 'result' ? outcome.result.response.usage.totalTokens : 0,
    );
  if (outcome.kind === 'result') {
    const result = await guardAnswer(
      dependencies,
      response,
      shape,
      admitted.guardrails,
      input,
      inferenceId,
      outcome.result,
    );
    if (!result) return;
    // Only an answer that passed the output checks (masked where they mask) is kept.
    rememberAnswer(dependencies, input, admitted.cache, inferenceId, result);
    if (input.stream) {
      new StreamSession(shape, inferenceId, new SseWriter(response), () => undefined).onOutcome({
        kind: 'result',
        result,
      });
      return;
    }
    setGatewayHeaders(response, inferenceId, result);
    response.json(shape.answer(result, inferenceId));
    return;
  }
  sendUnsuccessfulOutcome(response, shape, outcome);
}

/**
 * What every inference request goes through once its body is parsed, whatever its API shape:
 * Idempotency-Key, then admission (scopes, windows, budget), then the workflow input. Answers the
 * client itself when the request is refused.
 */
export async function admitRequest(
  dependencies: ApiDependencies,
  request: Request,
  response: Response,
  shape: ApiShape,
  what: { modelGroup: string; request: ChatRequest; stream: boolean },
): Promise<{ input: InferenceInput; admitted: AdmittedRequest } | undefined> {
  const { idempotency, refusal } = readIdempotency(request);
  if (refusal) {
    sendRefusal(response, shape, refusal);
    return undefined;
  }
  const guarded = await guardRequest(dependencies, request, response, shape, what.modelGroup, what.request);
  if (!guarded) return undefined;
  const admission = await admitInference(
    request,
    what.modelGroup,
    { request: guarded.request, needs: requestNeeds(guarded.request) },
    dependencies,
  );
  if (!admission.admitted) {
    sendRefusal(response, shape, admission.refusal);
    return undefined;
  }
  const { needs, request: chat } = admission.held;
  let cache: CacheUse | undefined;
  try {
    cache = cacheUse(dependencies.getConfig(), request.keyOwner, what.modelGroup, chat, request.headers);
  } catch (error) {
    settleAdmission(dependencies, admission, 0);
    sendRefusal(response, shape, {
      status: 400,
      code: 'invalid_request',
      message: (error as Error).message,
      param: gatewayHeaders.cacheTtl,
    });
    return undefined;
  }
  const input = inferenceInput(request, admission, dependencies.getConfig(), {
    modelGroup: what.modelGroup,
    needs,
    request: chat,
    stream: what.stream,
    guardrails:
      guarded.input && what.stream && streamGuarding(guarded.policies) === 'hold'
        ? { ...guarded.input, holdStream: true }
        : guarded.input,
  });
  const guardrails = guarded.policies.length > 0 ? guarded.policies : undefined;
  return {
    input,
    admitted: {
      admission,
      ...(idempotency && { idempotency }),
      ...(cache && { cache }),
      ...(guardrails && { guardrails }),
    },
  };
}

/** A synchronous or streamed inference request, from parsed body to answer. */
export async function serveInference(
  dependencies: ApiDependencies,
  request: Request,
  response: Response,
  shape: ApiShape,
  what: { modelGroup: string; request: ChatRequest; stream: boolean },
  receivedAt: number,
): Promise<void> {
  const prepared = await admitRequest(dependencies, request, response, shape, what);
  if (prepared) await respondToInference(dependencies, response, prepared.input, shape, receivedAt, prepared.admitted);
}
