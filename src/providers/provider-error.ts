import { ApplicationFailure } from '@temporalio/common';
import { gatewayErrorTypes, nextRouteFirstErrorTypes, type GatewayErrorType } from './gateway-error-types';

/** What an adapter knows about a failed provider call, safe to put in workflow history. */
export interface ProviderErrorDetails {
  type: GatewayErrorType;
  /** HTTP status the provider returned, when there was a response. */
  status?: number;
  /** The provider's own error code or type, e.g. `insufficient_quota`. */
  providerCode?: string;
  /** The provider's retry hint in milliseconds, when it gave one. */
  retryAfterMs?: number;
  message: string;
}

/** Thrown by adapters: a provider failure already mapped to the gateway taxonomy. */
export class ProviderCallError extends Error {
  override name = 'ProviderCallError';
  constructor(readonly details: ProviderErrorDetails) {
    super(details.message);
  }
}

/** What the workflow receives in the failure's details. */
export interface AttemptFailureDetails extends ProviderErrorDetails {
  /** Which try of the activity failed (1 = first). */
  attempt: number;
  /**
   * A streaming attempt had already sent content toward the client when it failed: no retry or
   * other route can hide that, so the inference ends with StreamInterrupted.
   */
  partialOutputSent?: boolean;
  /** A streaming attempt's time to its first content token, when it got that far. */
  ttftMs?: number;
  /** The route's circuit is open once this failure is recorded: no same-route retry may follow. */
  circuitOpen?: boolean;
}

/**
 * Longest provider retry hint worth waiting for on the same route; a longer one moves the
 * inference to its next route at once.
 * @default 2000
 */
export const sameRouteRetryLimitMs = 2_000;

/**
 * Turns a classified provider error into the failure Temporal sees. Non-retryable on the same
 * route: deterministic types, a hint longer than the same-route limit, a stream that sent content,
 * an error whose rule is "next route first", and any failure after which the route's circuit is
 * open. The provider's retry hint becomes the next retry delay.
 */
export function toApplicationFailure(details: AttemptFailureDetails): ApplicationFailure {
  const { transient } = gatewayErrorTypes[details.type];
  const waitTooLong = details.retryAfterMs !== undefined && details.retryAfterMs > sameRouteRetryLimitMs;
  // A provider's words about rejected credentials can echo part of the key: keep them out of history.
  const credentialError =
    (details.type === 'Authentication' || details.type === 'PermissionDenied') && details.status !== undefined;
  const message = credentialError
    ? `The provider rejected this account's credentials or permissions (HTTP ${details.status})`
    : details.message;
  return ApplicationFailure.create({
    type: details.type,
    message,
    nonRetryable:
      !transient ||
      waitTooLong ||
      details.partialOutputSent === true ||
      details.circuitOpen === true ||
      nextRouteFirstErrorTypes.includes(details.type),
    // A zero hint means "now"; Temporal rejects a zero delay, so the policy's own backoff applies.
    nextRetryDelay: transient && details.retryAfterMs ? details.retryAfterMs : undefined,
    details: [credentialError ? { ...details, message } : details],
  });
}
