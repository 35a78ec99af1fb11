import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { GatewayActivities } from '../activities/create-activities';
import { deterministicErrorTypes } from '../providers/gateway-error-types';

/** The routing policy, the four selection steps, the quota and budget reads: local activities. */
export const { routingPolicy, selectProvider, selectModel, selectAccount, selectRegion, quotaResetMs, readBudget } =
  proxyLocalActivities<GatewayActivities>({
    startToCloseTimeout: '5s',
    retry: { maximumAttempts: 3, nonRetryableErrorTypes: ['ModelNotFound'] },
  });

export const { invokeRoute, embedRoute } = proxyActivities<GatewayActivities>({
  startToCloseTimeout: '2m', // replaced per call by the provider's attempt timeout
  // Explicit policy: retry a transient error on the same route (as many calls as the traffic class
  // allows per route), honouring the provider's hint through nextRetryDelay; never retry a
  // deterministic error.
  retry: {
    initialInterval: '250ms',
    backoffCoefficient: 2,
    maximumInterval: '10s',
    nonRetryableErrorTypes: deterministicErrorTypes,
  },
});

// The streaming variant: the same policy, plus a heartbeat timeout so an attempt whose worker died
// mid-stream is noticed in seconds rather than at its start-to-close timeout.
export const { invokeRouteStream } = proxyActivities<GatewayActivities>({
  startToCloseTimeout: '2m',
  heartbeatTimeout: '30s',
  retry: {
    initialInterval: '250ms',
    backoffCoefficient: 2,
    maximumInterval: '10s',
    nonRetryableErrorTypes: deterministicErrorTypes,
  },
});

// Traffic classes with `invoke: local` call the route as a local activity, so the whole inference
// is one workflow task. Each call is one try: the workflow itself retries a transient error on the
// same route, after the provider's Retry-After or the same back-off as above, on a Temporal timer.
export const localInvoke = proxyLocalActivities<GatewayActivities>({
  startToCloseTimeout: '2m', // replaced per call by the provider's attempt timeout
  retry: { maximumAttempts: 1 },
});

/** The back-off between same-route calls when the provider gave no hint. */
export const sameRouteRetry = { initialMs: 250, coefficient: 2, maximumMs: 10_000 };
