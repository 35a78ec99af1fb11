import type { Response } from 'express';
import type { GuardrailPolicy } from '../config/gateway-config-schema';
import { runOutputGuardrails } from '../guardrails/run-guardrails';
import type { InferenceInput, InferenceResult } from '../workflows/inference-types';
import type { ApiDependencies } from './api-dependencies';
import type { ApiShape } from './api-shape';
import { recordVerdicts, sendContentBlocked } from './request-guardrails';

/**
 * Runs the output checks on a whole answer before the client sees it. Returns the answer to send
 * (masked where a check masks, its verdicts added to the decision record the API holds), or
 * undefined once it has answered 400 `content_blocked` itself.
 */
export function guardAnswer(dependencies: ApiDependencies, response: Response, shape: ApiShape, policies: GuardrailPolicy[] | undefined, input: InferenceInput, inferenceId: string, result: InferenceResult): InferenceResult | undefined {
  if (!policies?.length) return result;
  const outcome = runOutputGuardrails(policies, result.response, input.request.response_format);
  recordVerdicts(dependencies, outcome.verdicts, { inferenceId, tenant: input.tenant, keyId: input.keyId, modelGroup: input.modelGroup });
  if (outcome.blocked) {
    sendContentBlocked(response, shape, outcome);
    return undefined;
  }
  if (outcome.verdicts.length === 0) return result;
  const guardrails = [...(result.decision.guardrails ?? []), ...outcome.verdicts];
  return { ...result, response: outcome.value, decision: { ...result.decision, guardrails } };
}
