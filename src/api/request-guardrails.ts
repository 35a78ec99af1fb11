import type { Request, Response } from 'express';
import type { GuardrailPolicy } from '../config/gateway-config-schema';
import { attachedPolicies } from '../guardrails/attached-policies';
import { blockedMessage, type GuardrailOutcome } from '../guardrails/guardrail-outcome';
import type { GuardrailVerdict, InputGuardrails } from '../guardrails/guardrail-verdict';
import { runInputGuardrails } from '../guardrails/run-guardrails';
import { logger as defaultLogger } from '../observability/logger';
import { guardrailVerdictsTotal } from '../observability/metrics';
import type { ChatRequest } from '../providers/canonical-chat';
import type { ApiDependencies } from './api-dependencies';
import type { ApiShape } from './api-shape';
import { gatewayHeaders } from './gateway-headers';

/** The guardrails of one request: the policies (for the answer too) and what they made of the request. */
export interface GuardedRequest {
  policies: GuardrailPolicy[];
  request: ChatRequest;
  /** For the workflow input; absent when no policy applies. */
  input?: InputGuardrails;
}

/** Counts and logs each verdict: policy, check, action, stage and match count, never the matched text. */
export function recordVerdicts({ logger = defaultLogger }: ApiDependencies, verdicts: GuardrailVerdict[], context: Record<string, unknown>): void {
  for (const verdict of verdicts) {
    guardrailVerdictsTotal.inc({ policy: verdict.policy, check: verdict.check, action: verdict.action, stage: verdict.stage });
    logger.info({ ...context, guardrail: verdict }, 'guardrail verdict');
  }
}

/** Answers a block with 400 `content_blocked` in the API's shape, naming the policy and check only. */
export function sendContentBlocked(response: Response, shape: ApiShape, outcome: GuardrailOutcome<unknown>): void {
  shape.sendError(response, 400, { message: blockedMessage(outcome.blocked!), code: 'content_blocked' });
}

/**
 * Runs the input checks of the policies attached to the key, its tenant and the model group, after
 * validation and before admission, the cache and the workflow: a masked request is the only one
 * that goes further. Answers the client itself when a check blocks.
 */
export function guardRequest(dependencies: ApiDependencies, request: Request, response: Response, shape: ApiShape, modelGroup: string, chat: ChatRequest): GuardedRequest | undefined {
  const policies = attachedPolicies(dependencies.getConfig(), request.keyOwner?.guardrails, modelGroup);
  if (policies.length === 0) return { policies, request: chat };
  response.setHeader(gatewayHeaders.guardrails, policies.map((policy) => policy.name).join(', '));
  const outcome = runInputGuardrails(policies, chat);
  recordVerdicts(dependencies, outcome.verdicts, { tenant: request.keyOwner?.tenant, keyId: request.keyOwner?.keyId, modelGroup });
  if (outcome.blocked) {
    sendContentBlocked(response, shape, outcome);
    return undefined;
  }
  return { policies, request: outcome.value, input: { policies: policies.map((policy) => policy.name), verdicts: outcome.verdicts } };
}
