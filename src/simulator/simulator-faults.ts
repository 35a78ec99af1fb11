import { z } from 'zod';

export const simulatedProviders = ['openai', 'anthropic', 'bedrock'] as const;
export type SimulatedProvider = (typeof simulatedProviders)[number];

/** Failures the simulator can answer with, each in the provider's own wire format. */
export const faultKinds = [
  'invalid_request',
  'context_window',
  'request_too_large',
  'authentication',
  'permission_denied',
  'model_not_found',
  'quota_exhausted',
  'rate_limited',
  'overloaded',
  'server_error',
  'timeout',
  'content_filtered',
  'malformed',
  'hang',
  'stream_interrupted',
] as const;
export type FaultKind = (typeof faultKinds)[number];

/** Which calls a fault applies to; an omitted field matches everything. */
const routeMatchSchema = z.strictObject({
  provider: z.enum(simulatedProviders).optional(),
  account: z.string().optional(),
  region: z.string().optional(),
  model: z.string().optional(),
});

export const faultSchema = z.strictObject({
  match: routeMatchSchema.default({}),
  /** Answer with this failure instead of a completion. */
  error: z.enum(faultKinds).optional(),
  /**
   * Share of matching calls that fail, from 0 to 1.
   * @default 1
   */
  rate: z.number().min(0).max(1).default(1),
  /** Fail only the first N matching calls. */
  times: z.number().int().positive().optional(),
  /** Retry-After sent with rate_limited and overloaded errors, in seconds. */
  retryAfterSeconds: z.number().nonnegative().optional(),
  /** Added latency: fixed, or uniform between min and max. */
  latencyMs: z
    .union([z.number().nonnegative(), z.strictObject({ min: z.number().nonnegative(), max: z.number().nonnegative() })])
    .optional(),
  /** Delay before the first streamed token. */
  timeToFirstTokenMs: z.number().nonnegative().optional(),
  /** Requests per minute the route accepts before answering 429 with Retry-After. */
  rpm: z.number().int().positive().optional(),
  /** Tokens per minute the route accepts before answering 429 with Retry-After. */
  tpm: z.number().int().positive().optional(),
  /** An outage window relative to when the faults were set: fail with `error` (default overloaded) inside it. */
  outage: z
    .strictObject({ startMs: z.number().nonnegative().default(0), durationMs: z.number().positive() })
    .optional(),
});

export type Fault = z.infer<typeof faultSchema>;
export type FaultInput = z.input<typeof faultSchema>;
export const faultListSchema = z.array(faultSchema);

export interface SimulatedRoute {
  provider: SimulatedProvider;
  account: string;
  region: string;
  model: string;
}

export function routeKey(route: SimulatedRoute): string {
  return `${route.provider}/${route.account}/${route.region}/${route.model}`;
}

export function matches(fault: Fault, route: SimulatedRoute): boolean {
  const { match } = fault;
  return (
    (match.provider === undefined || match.provider === route.provider) &&
    (match.account === undefined || match.account === route.account) &&
    (match.region === undefined || match.region === route.region) &&
    (match.model === undefined || match.model === route.model)
  );
}

/** The faults answered with an ordinary error response in the provider's wire format. */
export type WireErrorKind = Exclude<FaultKind, 'hang' | 'malformed' | 'content_filtered' | 'stream_interrupted'>;
