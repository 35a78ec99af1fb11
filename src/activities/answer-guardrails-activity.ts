import type { GatewayConfig } from '../config/gateway-config-schema';
import { policiesNamed } from '../guardrails/attached-policies';
import { rewriteResponseTexts } from '../guardrails/chat-texts';
import { refusalOf } from '../guardrails/guardrail-outcome';
import type { GuardrailVerdict, OutputGuardrails } from '../guardrails/guardrail-verdict';
import { recordGuardrailVerdicts } from '../guardrails/record-verdicts';
import { checkAnswer } from '../guardrails/remote/run-remote-guardrails';
import { logger } from '../observability/logger';
import type { ChatRequest, ChatResponse } from '../providers/canonical-chat';

/** The answer with no text left: contents and tool arguments empty, no reasoning or log probabilities. */
export function emptied(response: ChatResponse): ChatResponse {
  const { reasoning, thinking, logprobs, anthropicContent, moreChoices, ...rest } = rewriteResponseTexts(
    response,
    () => '',
  );
  void [reasoning, thinking, logprobs, anthropicContent];
  return {
    ...rest,
    ...(moreChoices && {
      moreChoices: moreChoices.map(({ content, toolCalls, finishReason }) => ({ content, toolCalls, finishReason })),
    }),
  };
}

/** Counts and logs output verdicts reached in the worker (never with the matched text). */
export function recordOutputVerdicts(verdicts: readonly GuardrailVerdict[], context: Record<string, unknown>): void {
  recordGuardrailVerdicts(logger, verdicts, context);
}

/**
 * Runs the output checks of the named policies on the provider's answer, in the worker, before the
 * activity's result is recorded: the history then holds the masked answer (or, when a check
 * refused it, an answer with every text emptied) and the verdicts, never the unmasked text.
 */
export async function guardAnswerInWorker(
  config: GatewayConfig,
  environment: NodeJS.ProcessEnv,
  names: readonly string[],
  request: ChatRequest,
  response: ChatResponse,
  context: Record<string, unknown>,
): Promise<{ response: ChatResponse; guardrails: OutputGuardrails }> {
  const outcome = await checkAnswer(policiesNamed(config, names), response, request.response_format, {
    config,
    environment,
  });
  recordOutputVerdicts(outcome.verdicts, context);
  const refused = refusalOf(outcome);
  if (!refused) return { response: outcome.value, guardrails: { verdicts: outcome.verdicts } };
  // A refused answer is never served: its texts are not recorded either (usage and shape stay).
  return { response: emptied(response), guardrails: { verdicts: outcome.verdicts, refused } };
}
