import type { GatewayConfig, GuardrailPolicy } from '../../config/gateway-config-schema';
import { guardrailRemoteCheckDuration } from '../../observability/metrics';
import { applyBedrockGuardrail } from '../../providers/bedrock/bedrock-apply-guardrail';
import type { ChatRequest, ChatResponse } from '../../providers/canonical-chat';
import { ProviderCallError } from '../../providers/provider-error';
import { collectTexts, rewriteRequestTexts, rewriteResponseTexts, type TextRewrite } from '../chat-texts';
import type { GuardrailOutcome } from '../guardrail-outcome';
import type { GuardrailAction, GuardrailStage, GuardrailVerdict } from '../guardrail-verdict';
import { checkName, isRemoteCheck, type RemoteCheck } from '../pattern-check';
import { runInputGuardrails, runOutputGuardrails } from '../run-guardrails';
import { callWebhook, RemoteCheckFailure } from './webhook-check';

/** What remote checks need besides the texts: the config (Bedrock accounts) and where secrets are read. */
export interface RemoteCheckContext {
  config: GatewayConfig;
  environment: NodeJS.ProcessEnv;
}

/** A remote check's verdict on the texts sent: nothing, a block, a log, or the texts to put in their place. */
type RemoteVerdict = { action: 'pass' | 'block' | 'log' } | { action: 'mask'; texts: string[] };

async function askRemote(
  check: RemoteCheck,
  policy: string,
  stage: GuardrailStage,
  texts: string[],
  context: RemoteCheckContext,
): Promise<RemoteVerdict> {
  if (check.type === 'webhook') {
    const verdict = await callWebhook(check, { stage, texts, policy, check: checkName(check) }, context.environment);
    return verdict.action === 'mask' ? { action: 'mask', texts: verdict.texts! } : { action: verdict.action };
  }
  let answer;
  try {
    answer = await applyBedrockGuardrail(context.config, check, stage, texts, context.environment);
  } catch (error) {
    // The account's credentials are read by reference; an unset variable is named in the error, never a value.
    if (error instanceof ProviderCallError) throw new RemoteCheckFailure('secret_missing');
    // Only the exception's name (InternalServerException, ThrottlingException…): its message may quote the texts.
    const name = (error as Error).name;
    throw new RemoteCheckFailure(
      name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : /^[A-Za-z]+$/.test(name) ? name : 'error',
    );
  }
  if (!answer.intervened) return { action: 'pass' };
  if (check.action !== 'mask') return { action: check.action };
  // Bedrock blocked (a denied topic, say) rather than anonymized, or its outputs do not line up with
  // the texts sent: the texts cannot be replaced one by one, so the check blocks rather than guess.
  if (answer.blockedByPolicy || answer.outputs.length !== texts.length) return { action: 'block' };
  return { action: 'mask', texts: answer.outputs };
}

/** The value with the texts at these positions (in rewrite order) replaced. */
function replaceTexts<Value>(
  value: Value,
  rewriter: (value: Value, rewrite: TextRewrite) => Value,
  replacements: Map<number, string>,
): Value {
  let position = 0;
  return rewriter(value, (text) => replacements.get(position++) ?? text);
}

async function runRemoteStage<Value>(
  policies: GuardrailPolicy[],
  start: GuardrailOutcome<Value>,
  stage: GuardrailStage,
  rewriter: (value: Value, rewrite: TextRewrite) => Value,
  context: RemoteCheckContext,
): Promise<GuardrailOutcome<Value>> {
  if (start.blocked) return start;
  const verdicts = [...start.verdicts];
  let current = start.value;
  for (const policy of policies) {
    for (const check of policy.checks) {
      if (!isRemoteCheck(check) || !check.on.includes(stage)) continue;
      // Only texts with something in them are sent; their positions say where an answer's texts go back.
      const all = collectTexts((rewrite) => rewriter(current, rewrite));
      const positions = all.flatMap((text, index) => (text.trim() ? [index] : []));
      if (positions.length === 0) continue;
      const verdict = (action: GuardrailAction, extra: Partial<GuardrailVerdict> = {}): GuardrailVerdict => ({
        policy: policy.name,
        check: checkName(check),
        action,
        stage,
        ...extra,
      });
      const began = performance.now();
      let answer: RemoteVerdict;
      try {
        answer = await askRemote(
          check,
          policy.name,
          stage,
          positions.map((index) => all[index]!),
          context,
        );
      } catch (error) {
        const failure = error instanceof RemoteCheckFailure ? error.failure : 'error';
        guardrailRemoteCheckDuration.observe(
          { type: check.type, stage, outcome: 'failed' },
          (performance.now() - began) / 1000,
        );
        if (check.failMode === 'open') {
          verdicts.push(verdict('log', { failure }));
          continue;
        }
        verdicts.push(verdict('block', { failure }));
        return {
          value: current,
          verdicts,
          unavailable: { policy: policy.name, check: checkName(check), stage, failure },
        };
      }
      guardrailRemoteCheckDuration.observe(
        { type: check.type, stage, outcome: answer.action },
        (performance.now() - began) / 1000,
      );
      if (answer.action === 'pass') continue;
      verdicts.push(verdict(answer.action));
      if (answer.action === 'block')
        return { value: current, verdicts, blocked: { policy: policy.name, check: checkName(check), stage } };
      if (answer.action === 'mask')
        current = replaceTexts(current, rewriter, new Map(positions.map((index, at) => [index, answer.texts[at]!])));
    }
  }
  return { value: current, verdicts };
}

const hasRemote = (policies: GuardrailPolicy[], stage: GuardrailStage) =>
  policies.some((policy) => policy.checks.some((check) => isRemoteCheck(check) && check.on.includes(stage)));

/**
 * The input checks of the policies: the offline ones first, then the remote ones, in config order,
 * on the request as the offline checks left it (so a value they masked is never sent to a service).
 */
export async function checkRequest(
  policies: GuardrailPolicy[],
  request: ChatRequest,
  context: RemoteCheckContext,
): Promise<GuardrailOutcome<ChatRequest>> {
  const offline = runInputGuardrails(policies, request);
  return hasRemote(policies, 'input')
    ? runRemoteStage(policies, offline, 'input', rewriteRequestTexts, context)
    : offline;
}

/** The output checks of the policies on a whole answer: the offline ones, then the remote ones. */
export async function checkAnswer(
  policies: GuardrailPolicy[],
  response: ChatResponse,
  format: ChatRequest['response_format'],
  context: RemoteCheckContext,
): Promise<GuardrailOutcome<ChatResponse>> {
  const offline = runOutputGuardrails(policies, response, format);
  return hasRemote(policies, 'output')
    ? runRemoteStage(policies, offline, 'output', rewriteResponseTexts, context)
    : offline;
}
