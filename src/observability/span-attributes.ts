import { trace } from '@opentelemetry/api';
import type { Route } from '../routing/route';
import type { StepDecision } from '../routing/routing-types';
import { gatewayHeaders } from '../api/gateway-headers';

/** The response header that carries the inference's trace id when tracing is on. */
export const traceIdHeader = gatewayHeaders.traceId;

/** The trace id of the span active here, when tracing is on. */
export function activeTraceId(): string | undefined {
  return trace.getActiveSpan()?.spanContext().traceId;
}

/** Span attribute names of a selection step (the `selectProvider` … `selectRegion` activity spans). */
export const stepSpanAttributes = {
  choice: 'gateway.step.choice',
  skipped: 'gateway.step.skipped',
} as const;

/** Puts a selection step's choice and how many candidates it skipped on the span of its activity; nothing without tracing. */
export function annotateStepSpan(decision: StepDecision): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  span.setAttributes({
    [stepSpanAttributes.skipped]: decision.skipped.length,
    ...(decision.choice !== undefined && { [stepSpanAttributes.choice]: decision.choice }),
  });
}

/** Span attribute names of a provider attempt (the `invokeRoute` and `invokeRouteStream` activity spans). */
export const attemptSpanAttributes = {
  provider: 'gateway.provider',
  model: 'gateway.model',
  account: 'gateway.account',
  region: 'gateway.region',
  promptTokens: 'gateway.tokens.prompt',
  completionTokens: 'gateway.tokens.completion',
  errorType: 'gateway.error_type',
} as const;

export type AttemptSpanOutcome = { tokens: { prompt: number; completion: number } } | { errorType: string };

/**
 * Puts an attempt's route, and its tokens or gateway error type, on the span of the activity that
 * runs it. Without tracing there is no active span, and this returns at once.
 */
export function annotateAttemptSpan(route: Route, outcome: AttemptSpanOutcome): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  span.setAttributes({
    [attemptSpanAttributes.provider]: route.provider,
    [attemptSpanAttributes.model]: route.model,
    [attemptSpanAttributes.account]: route.account,
    [attemptSpanAttributes.region]: route.region,
    ...('tokens' in outcome
      ? {
          [attemptSpanAttributes.promptTokens]: outcome.tokens.prompt,
          [attemptSpanAttributes.completionTokens]: outcome.tokens.completion,
        }
      : { [attemptSpanAttributes.errorType]: outcome.errorType }),
  });
}
