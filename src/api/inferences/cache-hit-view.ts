import type { CacheHitRecord } from '../../state/tenant-state-store';

/** A cache hit's `outcome` in the audit list, as its log line has it; workflows say `success` or an error type. */
export function cacheHitOutcome(record: CacheHitRecord): 'cache_hit' | 'semantic_cache_hit' {
  return record.cache === 'hit' ? 'cache_hit' : 'semantic_cache_hit';
}

/** The audit list's filters, as a cache hit meets them: the route is the one that produced its answer. */
export interface CacheHitFilters {
  outcome?: string;
  provider?: string;
  model?: string;
  region?: string;
  traffic_class?: string;
}

export function cacheHitMatches(record: CacheHitRecord, filters: CacheHitFilters): boolean {
  const values: Array<[string | undefined, string]> = [
    [filters.outcome, cacheHitOutcome(record)],
    [filters.provider, record.route.provider],
    [filters.model, record.route.model],
    [filters.region, record.route.region],
    [filters.traffic_class, record.trafficClass],
  ];
  return values.every(([wanted, value]) => wanted === undefined || wanted === value);
}

/**
 * A cache hit as a row of `GET /v1/inferences`: `completed` at once (it started and closed when it
 * was served), with the fields a workflow's row has, and those only a hit fills.
 */
export function cacheHitListItem(record: CacheHitRecord): Record<string, string | number | null> {
  const at = new Date(record.at).toISOString();
  return {
    id: record.id,
    status: 'completed',
    started_at: at,
    closed_at: at,
    traffic_class: record.trafficClass,
    outcome: cacheHitOutcome(record),
    provider: record.route.provider,
    model: record.route.model,
    region: record.route.region,
    fallbacks: 0,
    model_group: record.modelGroup,
    cache: record.cache,
    similarity: record.similarity ?? null,
    source_inference_id: record.sourceInferenceId,
  };
}

/** A cache hit as `GET /v1/inferences/{id}` returns it: no answer text (the source inference has it), what it saved. */
export function cacheHitResource(record: CacheHitRecord): Record<string, unknown> {
  const item = cacheHitListItem(record);
  return {
    id: item.id,
    object: 'inference',
    status: item.status,
    started_at: item.started_at,
    closed_at: item.closed_at,
    outcome: item.outcome,
    model_group: record.modelGroup,
    traffic_class: record.trafficClass,
    feature: record.feature ?? null,
    cache: record.cache,
    similarity: item.similarity,
    source_inference_id: record.sourceInferenceId,
    route: record.route,
    attempts: 0,
    fallback: false,
    saved_tokens: { prompt_tokens: record.savedTokens.prompt, completion_tokens: record.savedTokens.completion },
    saved_cost: record.savedCost,
    ...(record.guardrails && { guardrails: record.guardrails }),
    // Refused by an output check: the client got this error instead of the cached answer.
    ...(record.refused && { error: record.refused }),
  };
}
