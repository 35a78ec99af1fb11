import { z } from 'zod';
import { trafficClassNames } from '../../config/gateway-config-schema';
import { gatewayHeaders } from '../gateway-headers';

type GatewayHeader = keyof typeof gatewayHeaders;

/** What each `x-gateway-*` header says, and whether the client sends it or receives it: a new header needs a line here. */
const headerDescriptions: Record<GatewayHeader, { sentBy: 'client' | 'gateway'; description: string }> = {
  inferenceId: {
    sentBy: 'gateway',
    description:
      "The inference's workflow id, or on a cache hit the hit's own audit id (`cache-hit-…`); GET /v1/inferences/{id} reads either back.",
  },
  provider: {
    sentBy: 'gateway',
    description: 'The provider that served the answer (or made the last attempt of a failed one).',
  },
  model: { sentBy: 'gateway', description: "The provider's model that served the answer." },
  account: { sentBy: 'gateway', description: 'The provider account that served the answer.' },
  region: { sentBy: 'gateway', description: 'The provider region that served the answer.' },
  attempts: { sentBy: 'gateway', description: 'Provider calls made, retries and fallbacks included.' },
  fallback: { sentBy: 'gateway', description: '`true` when the answer did not come from the first route tried.' },
  droppedParams: {
    sentBy: 'gateway',
    description: 'Request fields the route could not honour and left out, comma-separated.',
  },
  cache: {
    sentBy: 'gateway',
    description: '`hit`, `semantic-hit`, `miss` or `bypass`, when the model group has a response cache.',
  },
  cacheAge: { sentBy: 'gateway', description: "A cache hit's age in seconds." },
  cacheSourceId: {
    sentBy: 'gateway',
    description: 'On a cache hit, the inference (`inf-…`) that produced the answer served.',
  },
  cacheSimilarity: {
    sentBy: 'gateway',
    description: "On a semantic hit, the cosine similarity of the request's last user message to the stored one's.",
  },
  cacheTtl: { sentBy: 'client', description: "This answer's cache TTL in seconds, overriding the model group's." },
  guardrails: {
    sentBy: 'gateway',
    description: 'The guardrail policies applied to the request and its answer, by name.',
  },
  traceId: { sentBy: 'gateway', description: 'The OpenTelemetry trace id, when tracing is on.' },
};

const namesSentBy = (sentBy: 'client' | 'gateway') =>
  (Object.keys(headerDescriptions) as GatewayHeader[]).filter((header) => headerDescriptions[header].sentBy === sentBy);

/** Every `x-gateway-*` header an inference answer may carry, none of them always. */
export const gatewayResponseHeadersSchema = z.object(
  Object.fromEntries(
    namesSentBy('gateway').map((header) => [
      gatewayHeaders[header],
      z.string().optional().meta({ description: headerDescriptions[header].description }),
    ]),
  ),
);

/** The headers of a refused or failed inference: where it ended, and when to retry. */
export const failureResponseHeadersSchema = z.object({
  'retry-after': z
    .string()
    .optional()
    .meta({ description: 'Seconds to wait before retrying, when the gateway or the provider knows.' }),
  [gatewayHeaders.inferenceId]: z.string().optional().meta({ description: headerDescriptions.inferenceId.description }),
  [gatewayHeaders.provider]: z.string().optional().meta({ description: headerDescriptions.provider.description }),
  [gatewayHeaders.model]: z.string().optional().meta({ description: headerDescriptions.model.description }),
  [gatewayHeaders.account]: z.string().optional().meta({ description: headerDescriptions.account.description }),
  [gatewayHeaders.region]: z.string().optional().meta({ description: headerDescriptions.region.description }),
  [gatewayHeaders.attempts]: z.string().optional().meta({ description: headerDescriptions.attempts.description }),
});

const clientGatewayHeaders = Object.fromEntries(
  namesSentBy('client').map((header) => [
    gatewayHeaders[header],
    z.string().optional().meta({ description: headerDescriptions[header].description }),
  ]),
);

/** The request headers an inference reads besides the key. */
export const inferenceRequestHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/)
    .optional()
    .meta({
      description:
        "A repeat with the same key and body joins the first request's inference instead of calling a provider again; a different body is a 409.",
    }),
  'x-traffic-class': z
    .enum(trafficClassNames)
    .optional()
    .meta({ description: "The request's traffic class; the key's default when omitted." }),
  'x-session-id': z
    .string()
    .optional()
    .meta({ description: 'Keeps a conversation on one route while that route is healthy.' }),
  'x-feature': z.string().optional().meta({ description: 'A tag the usage report groups by.' }),
  'cache-control': z
    .string()
    .optional()
    .meta({ description: '`no-cache` skips the cache lookup, `no-store` keeps the answer out of it.' }),
  ...clientGatewayHeaders,
});
