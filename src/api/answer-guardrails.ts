import type { Response } from 'express';
import type { GuardrailPolicy } from '../config/gateway-config-schema';
import { refusalOf } from '../guardrails/guardrail-outcome';
import type { GuardrailRefusal, GuardrailVerdict } from '../guardrails/guardrail-verdict';
import { checkAnswer } from '../guardrails/remote/run-remote-guardrails';
import type { InferenceInput, InferenceResult } from '../workflows/inference-types';
import type { ApiDependencies } from './api-dependencies';
import type { ApiShape } from './api-shape';
import { recordVerdicts, remoteCheckContext, sendRefusedOutcome } from './request-guardrails';

/**
 * Runs the output checks on a whole answer before the client sees it, unless the worker already
 * ran them on the provider's answer (a result with `outputGuardrails`). Returns the answer to send
 * (masked where a check masks, its verdicts added to the decision record the API holds), or
 * undefined once it has answered itself (400 `content_blocked`, or 503 `guardrail_unavailable`
 * when a remote check fails closed).
 */
export async function guardAnswer(
  dependencies: ApiDependencies,
  response: Response,
  shape: ApiShape,
  policies: GuardrailPolicy[] | undefined,
  input: InferenceInput,
  inferenceId: string,
  result: InferenceResult,
  /** Told what the API's own output checks found (not called when the worker ran them). */
  onChecked?: (checked: { verdicts: GuardrailVerdict[]; refused?: GuardrailRefusal }) => void,
): Promise<InferenceResult | undefined> {
  if (!policies?.length) return result;
  // The worker ran them on the provider's answer (verdicts logged and in the decision record).
  if (result.outputGuardrails) {
    const { refused } = result.outputGuardrails;
    if (!refused) return result;
    shape.sendError(response, refused.code === 'content_blocked' ? 400 : 503, refused);
    return undefined;
  }
  const outcome = await checkAnswer(
    policies,
    result.response,
    input.request.response_format,
    remoteCheckContext(dependencies),
  );
  recordVerdicts(dependencies, outcome.verdicts, {
    inferenceId,
    tenant: input.tenant,
    keyId: input.keyId,
    modelGroup: input.modelGroup,
  });
  const refused = refusalOf(outcome);
  onChecked?.({ verdicts: outcome.verdicts, ...(refused && { refused }) });
  if (sendRefusedOutcome(response, shape, outcome)) return undefined;
  if (outcome.verdicts.length === 0) return result;
  const guardrails = [...(result.decision.guardrails ?? []), ...outcome.verdicts];
  return { ...result, response: outcome.value, decision: { ...result.decision, guardrails } };
}
