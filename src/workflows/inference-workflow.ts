import { ActivityFailure, ApplicationFailure, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { GatewayActivities } from '../activities/create-activities';
import { deterministicErrorTypes } from '../providers/gateway-error-types';
import type { AttemptFailureDetails } from '../providers/provider-error';
import { describeRoute } from '../routing/route';
import type { InferenceFailureDetails, InferenceInput, InferenceResult } from './inference-types';

const { selectRoute } = proxyLocalActivities<GatewayActivities>({
  startToCloseTimeout: '5s',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: ['ModelNotFound'] },
});

const { invokeRoute } = proxyActivities<GatewayActivities>({
  startToCloseTimeout: '2m', // replaced per call by the provider's attempt timeout
  // Explicit policy: one retry on the same route for a transient error, honouring the provider's
  // retry hint through nextRetryDelay; deterministic types never retry.
  retry: {
    initialInterval: '250ms',
    backoffCoefficient: 2,
    maximumInterval: '10s',
    maximumAttempts: 2,
    nonRetryableErrorTypes: deterministicErrorTypes,
  },
});

/** One durable inference: choose a route, call it, and return the answer with how it was reached. */
export async function inference(input: InferenceInput): Promise<InferenceResult> {
  const decision = await selectRoute.executeWithOptions(
    { summary: `select route for ${input.modelGroup}` },
    [{ modelGroup: input.modelGroup }],
  );
  const { route } = decision;
  try {
    const outcome = await invokeRoute.executeWithOptions(
      {
        startToCloseTimeout: decision.attemptTimeoutMs + 5_000,
        summary: `invoke ${describeRoute(route)}`,
      },
      [{ route, request: input.request }],
    );
    return { response: outcome.response, route, attempts: outcome.attempt, fallback: false };
  } catch (error) {
    const cause = error instanceof ActivityFailure ? error.cause : undefined;
    if (cause instanceof ApplicationFailure) {
      const [attemptDetails] = (cause.details ?? []) as Array<Partial<AttemptFailureDetails> | undefined>;
      const details: InferenceFailureDetails = {
        route,
        status: attemptDetails?.status,
        providerCode: attemptDetails?.providerCode,
        attempts: attemptDetails?.attempt ?? 1,
      };
      throw ApplicationFailure.create({ type: cause.type ?? 'ServerError', message: cause.message, nonRetryable: true, details: [details] });
    }
    throw error;
  }
}
