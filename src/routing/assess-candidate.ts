import { embeddingRouteRefusal } from '../providers/embedding-capabilities';
import { accountKey } from './route';
import type { RouteCandidate, RouteState, RoutingContext, SkippedCandidate } from './routing-types';

/** Estimated cost of one request on a candidate, in the pricing's currency units. */
export function estimatedCost(candidate: RouteCandidate, context: RoutingContext): number | undefined {
  const { pricing } = candidate;
  if (!pricing) return undefined;
  const { estimatedPromptTokens, maxOutputTokens } = context.needs;
  return (estimatedPromptTokens * pricing.inputPerMillion + maxOutputTokens * pricing.outputPerMillion) / 1_000_000;
}

/**
 * Why a candidate cannot take this request now, or undefined when it can. Pure: every input is
 * passed in, including the live state and the clock.
 */
export function assessCandidate(
  candidate: RouteCandidate,
  context: RoutingContext,
  state: RouteState | undefined,
  primaryQuality: number,
  now: number,
): SkippedCandidate | undefined {
  const skip = (reason: SkippedCandidate['reason'], detail?: string): SkippedCandidate => ({
    candidate: candidate.key,
    reason,
    ...(detail && { detail }),
  });
  const { policy, needs } = context;
  if (context.excluded.includes(candidate.key) || context.excluded.includes(accountKey(candidate.route)))
    return skip('already_tried');
  if (candidate.tier > 0 && !policy.fallback)
    return skip('fallback_disabled', `${context.trafficClass} traffic does not fall back`);
  if (context.allowedProviders && !context.allowedProviders.includes(candidate.route.provider))
    return skip('provider_not_allowed');
  if (context.residency && candidate.residency !== context.residency) {
    return skip(
      'residency',
      `region ${candidate.route.region} is ${candidate.residency ?? 'not labelled'}, the tenant requires ${context.residency}`,
    );
  }
  if (policy.qualityFloor === 'primary' && candidate.groupQuality < primaryQuality) {
    return skip(
      'quality_floor',
      `${candidate.modelGroup} (quality ${candidate.groupQuality}) is below ${context.modelGroup} (quality ${primaryQuality})`,
    );
  }
  if (context.minQuality !== undefined && candidate.groupQuality < context.minQuality) {
    return skip(
      'quality_floor',
      `a critical session bound to quality ${context.minQuality} never moves to ${candidate.modelGroup} (quality ${candidate.groupQuality})`,
    );
  }
  const operation = needs.operation ?? 'chat';
  if (candidate.operation !== operation) return skip('capability', `serves ${candidate.operation}, not ${operation}`);
  if (needs.embedding) {
    const refusal = embeddingRouteRefusal(candidate.route.providerKind, candidate.route.model, needs.embedding);
    if (refusal) return skip('capability', refusal);
    if (candidate.contextWindow !== undefined && needs.embedding.longestInputTokens > candidate.contextWindow) {
      return skip(
        'capability',
        `input limit ${candidate.contextWindow} < ${needs.embedding.longestInputTokens} tokens in one input`,
      );
    }
  }
  if (needs.tools && !candidate.capabilities.tools) return skip('capability', 'no tool use');
  if (needs.vision && !candidate.capabilities.vision) return skip('capability', 'no image input');
  if (needs.jsonMode && !candidate.capabilities.jsonMode) return skip('capability', 'no JSON mode');
  if (
    !needs.embedding &&
    candidate.contextWindow !== undefined &&
    needs.estimatedPromptTokens + needs.maxOutputTokens > candidate.contextWindow
  ) {
    return skip(
      'capability',
      `context window ${candidate.contextWindow} < ${needs.estimatedPromptTokens + needs.maxOutputTokens} tokens`,
    );
  }
  const cost = estimatedCost(candidate, context);
  if (policy.costCeiling !== undefined && cost !== undefined && cost > policy.costCeiling) {
    return skip('cost_ceiling', `estimated ${cost.toFixed(4)} > ceiling ${policy.costCeiling}`);
  }
  if (state?.circuit === 'open') return skip('circuit_open');
  if (state?.coolingDownUntil !== undefined && state.coolingDownUntil > now) {
    const seconds = Math.ceil((state.coolingDownUntil - now) / 1000);
    // Credentials or billing: not a quota that lifts by itself, so never reported as a rate limit.
    if (state.accountCoolingDown)
      return skip(
        'account_unavailable',
        `account set aside for ${seconds} s after ${state.accountCoolDownReason ?? 'an account'} error`,
      );
    return skip('no_quota', `provider asked to wait ${seconds} s`);
  }
  if (candidate.rpm !== undefined && (state?.requestsThisMinute ?? 0) >= candidate.rpm)
    return skip('no_quota', `rpm ${candidate.rpm} reached`);
  if (candidate.tpm !== undefined && (state?.tokensThisMinute ?? 0) + needs.estimatedPromptTokens > candidate.tpm)
    return skip('no_quota', `tpm ${candidate.tpm} reached`);
  return undefined;
}
