import type { Request, Response } from 'express';
import type { GuardrailPolicy } from '../config/gateway-config-schema';
import { attachedPolicies } from '../guardrails/attached-policies';
import { refusalOf, type GuardrailOutcome } from '../guardrails/guardrail-outcome';
import { recordGuardrailVerdicts } from '../guardrails/record-verdicts';
import type { GuardrailVerdict, InputGuardrails } from '../guardrails/guardrail-verdict';
import { checkRequest, type RemoteCheckContext } from '../guardrails/remote/run-remote-guardrails';
import { logger as defaultLogger } from '../observability/logger';
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
export function recordVerdicts(
  { logger = defaultLogger }: ApiDependencies,
  verdicts: GuardrailVerdict[],
  context: Record<string, unknown>,
): void {
  recordGuardrailVerdicts(logger, verdicts, context);
}

/** What remote checks read: the config in force and the process's environment (or the one the gateway was given). */
export function remoteCheckContext(dependencies: ApiDependencies): RemoteCheckContext {
  return { config: dependencies.getConfig(), environment: dependencies.environment ?? process.env };
}

/**
 * Whether the outcome refused: a block is a 400 `content_blocked` in the API's shape, naming the
 * policy and check only; a remote check that failed closed is a 503 `guardrail_unavailable`.
 */
export function sendRefusedOutcome(response: Response, shape: ApiShape, outcome: GuardrailOutcome<unknown>): boolean {
  const refused = refusalOf(outcome);
  if (refused) shape.sendError(response, refused.code === 'content_blocked' ? 400 : 503, refused);
  return refused !== undefined;
}

/**
 * Runs the input checks of the policies attached to the key, its tenant and the model group, after
 * validation and before admission, the cache and the workflow: a masked request is the only one
 * that goes further. Remote checks (Bedrock Guardrails, webhooks) run here too, after the offline
 * ones. Answers the client itself when a check blocks or a remote check fails closed.
 */
export async function guardRequest(
  dependencies: ApiDependencies,
  request: Request,
  response: Response,
  shape: ApiShape,
  modelGroup: string,
  chat: ChatRequest,
): Promise<GuardedRequest | undefined> {
  const policies = attachedPolicies(dependencies.getConfig(), request.keyOwner?.guardrails, modelGroup);
  if (policies.length === 0) return { policies, request: chat };
  response.setHeader(gatewayHeaders.guardrails, policies.map((policy) => policy.name).join(', '));
  const outcome = await checkRequest(policies, chat, remoteCheckContext(dependencies));
  recordVerdicts(dependencies, outcome.verdicts, {
    tenant: request.keyOwner?.tenant,
    keyId: request.keyOwner?.keyId,
    modelGroup,
  });
  if (sendRefusedOutcome(response, shape, outcome)) return undefined;
  return {
    policies,
    request: outcome.value,
    input: { policies: policies.map((policy) => policy.name), verdicts: outcome.verdicts },
  };
}
