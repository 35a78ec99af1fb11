/** The gateway's error taxonomy; see shared DESIGN.md. Adapters map every provider error to one. */
export const gatewayErrorTypes = {
  InvalidRequest: { transient: false, anotherRouteCanHelp: false, httpStatus: 400 },
  ContextWindowExceeded: { transient: false, anotherRouteCanHelp: true, httpStatus: 400 },
  RequestTooLarge: { transient: false, anotherRouteCanHelp: false, httpStatus: 413 },
  Authentication: { transient: false, anotherRouteCanHelp: true, httpStatus: 502 },
  PermissionDenied: { transient: false, anotherRouteCanHelp: true, httpStatus: 502 },
  ModelNotFound: { transient: false, anotherRouteCanHelp: true, httpStatus: 502 },
  QuotaExhausted: { transient: false, anotherRouteCanHelp: true, httpStatus: 429 },
  RateLimited: { transient: true, anotherRouteCanHelp: true, httpStatus: 429 },
  Overloaded: { transient: true, anotherRouteCanHelp: true, httpStatus: 503 },
  ServerError: { transient: true, anotherRouteCanHelp: true, httpStatus: 502 },
  Timeout: { transient: true, anotherRouteCanHelp: true, httpStatus: 504 },
  ContentFiltered: { transient: false, anotherRouteCanHelp: false, httpStatus: 400 },
  StreamInterrupted: { transient: true, anotherRouteCanHelp: false, httpStatus: 502 },
  /** The tenant's budget cannot pay for the request: an explicit refusal, never a silent upgrade. */
  BudgetExceeded: { transient: false, anotherRouteCanHelp: false, httpStatus: 429 },
  /** The explicit end of a fallback chain: every route allowed by the traffic class was tried. */
  AllRoutesExhausted: { transient: false, anotherRouteCanHelp: false, httpStatus: 503 },
} as const;

export type GatewayErrorType = keyof typeof gatewayErrorTypes;

export const deterministicErrorTypes = (Object.keys(gatewayErrorTypes) as GatewayErrorType[]).filter(
  (type) => !gatewayErrorTypes[type].transient,
);

export function isGatewayErrorType(value: unknown): value is GatewayErrorType {
  return typeof value === 'string' && value in gatewayErrorTypes;
}

/**
 * Transient errors whose rule is "next route first": a hung or overloaded route is not asked again
 * while another route is eligible. The workflow may come back to it when none is.
 */
export const nextRouteFirstErrorTypes: readonly GatewayErrorType[] = ['Overloaded', 'Timeout'];
