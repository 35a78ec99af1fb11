/** Every `x-gateway-*` header the API reads or writes: one name per concept, in one place. */
export const gatewayHeaders = {
  /** The inference's workflow id; on a cache hit, the hit's own audit id (`cache-hit-…`). */
  inferenceId: 'x-gateway-inference-id',
  provider: 'x-gateway-provider',
  model: 'x-gateway-model',
  account: 'x-gateway-account',
  region: 'x-gateway-region',
  /** Provider calls made, retries and fallbacks included. */
  attempts: 'x-gateway-attempts',
  /** `true` when the answer did not come from the first route tried. */
  fallback: 'x-gateway-fallback',
  /** Request fields the route could not honour and left out. */
  droppedParams: 'x-gateway-dropped-params',
  /** `hit`, `semantic-hit`, `miss` or `bypass`. */
  cache: 'x-gateway-cache',
  /** A hit's age in seconds. */
  cacheAge: 'x-gateway-cache-age',
  /** On a hit: the inference that produced the cached answer. */
  cacheSourceId: 'x-gateway-cache-source-id',
  /** On a semantic hit: the cosine similarity of the prompt and the stored one, to four places. */
  cacheSimilarity: 'x-gateway-cache-similarity',
  /** Request header: this answer's cache TTL in seconds. */
  cacheTtl: 'x-gateway-cache-ttl',
  /** The guardrail policies applied to the request and its answer, by name. */
  guardrails: 'x-gateway-guardrails',
  /** The OpenTelemetry trace id, when tracing is on. */
  traceId: 'x-gateway-trace-id',
} as const;
