import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import type { CacheUse } from '../cache/cache-policy';
import { storableFinish } from '../cache/cache-policy';
import type { CachedAnswer } from '../cache/response-cache';
import { logger as defaultLogger } from '../observability/logger';
import { cacheLookupsTotal, cacheSavedCostTotal, cacheSavedTokensTotal } from '../observability/metrics';
import { callCost, routePricing } from '../routing/route-pricing';
import { usagePeriod } from '../state/budget-periods';
import { cacheHitIdPrefix, type CacheHitRecord } from '../state/tenant-state-store';
import type { GuardrailRefusal, GuardrailVerdict } from '../guardrails/guardrail-verdict';
import type { InferenceInput, InferenceResult } from '../workflows/inference-types';
import type { ApiDependencies } from './api-dependencies';
import { gatewayHeaders } from './gateway-headers';
import { lookUpSimilarAnswer, rememberSimilarAnswer } from './semantic-cached-answer';

/** A request answered from the cache: the stored answer, and the id of this request's own audit entry. */
export interface ServedHit {
  answer: CachedAnswer;
  /** `cache-hit-<uuid>` (GET /v1/inferences/{id} reads it back), or the source inference's id without a state store. */
  auditId: string;
  /** The audit entry, written by recordHit once the hit met its output checks (none without a state store). */
  entry?: CacheHitRecord;
}

/**
 * Looks the request up in the exact cache, then (on a miss, when its group has one) in the
 * semantic cache, and says so in `x-gateway-cache`: `hit` or `semantic-hit` (with
 * `x-gateway-cache-age` in seconds, `x-gateway-cache-source-id` naming the inference that produced
 * the answer, and `x-gateway-cache-similarity` on a semantic hit), `miss`, or `bypass` (caching
 * off, or `Cache-Control: no-cache`). A cache that cannot be read is a miss: the request goes to a
 * provider.
 */
export async function lookUpAnswer(
  dependencies: ApiDependencies,
  response: Response,
  input: InferenceInput,
  cache: CacheUse | undefined,
): Promise<ServedHit | undefined> {
  const { responseCache, logger = defaultLogger } = dependencies;
  if (!cache || !cache.lookup || !responseCache) {
    response.setHeader(gatewayHeaders.cache, 'bypass');
    cacheLookupsTotal.inc({ model_group: input.modelGroup, result: 'bypass' });
    return undefined;
  }
  const exact = await responseCache.get(cache.key).catch((error: Error) => {
    logger.warn({ error: error.message }, 'could not read the response cache; asking a provider');
    return undefined;
  });
  const similar = exact || !cache.semantic ? undefined : await lookUpSimilarAnswer(dependencies, input, cache.semantic);
  const hit = exact ?? similar?.answer;
  const result = exact ? 'hit' : similar ? 'semantic_hit' : 'miss';
  response.setHeader(gatewayHeaders.cache, result.replace('_', '-'));
  cacheLookupsTotal.inc({ model_group: input.modelGroup, result });
  if (!hit) return undefined;
  response.setHeader(gatewayHeaders.cacheAge, String(Math.max(0, Math.floor((Date.now() - hit.storedAt) / 1000))));
  response.setHeader(gatewayHeaders.cacheSourceId, hit.inferenceId);
  if (similar) response.setHeader(gatewayHeaders.cacheSimilarity, similar.similarity.toFixed(4));
  cacheSavedTokensTotal.inc({ model_group: input.modelGroup, kind: 'prompt' }, hit.response.usage.promptTokens);
  cacheSavedTokensTotal.inc({ model_group: input.modelGroup, kind: 'completion' }, hit.response.usage.completionTokens);
  const entry = countHit(dependencies, input, hit, similar?.similarity);
  const auditId = entry?.id ?? hit.inferenceId;
  logger.info(
    {
      auditId,
      inferenceId: hit.inferenceId,
      tenant: input.tenant,
      modelGroup: input.modelGroup,
      outcome: similar ? 'semantic_cache_hit' : 'cache_hit',
      ...(similar && { similarity: similar.similarity }),
    },
    similar ? 'answered from the semantic cache' : 'answered from the response cache',
  );
  return { answer: hit, auditId, ...(entry && { entry }) };
}

/**
 * A hit is a request in the tenant's usage: one request and one cache hit, no tokens and no cost
 * billed, with the tokens and the cost its provider call would have taken as saved. It is also an
 * entry of the tenant's audit list, under an id of its own: this returns the entry, which recordHit
 * writes. Both writes are fire-and-forget: a store that fails them is logged and the client still
 * gets its answer.
 */
function countHit(
  { getConfig, state, logger = defaultLogger }: ApiDependencies,
  input: InferenceInput,
  hit: CachedAnswer,
  similarity: number | undefined,
): CacheHitRecord | undefined {
  const pricing = routePricing(getConfig(), hit.route);
  const savedCost = pricing ? callCost(pricing, hit.response.usage) : 0;
  if (savedCost > 0) cacheSavedCostTotal.inc({ model_group: input.modelGroup }, savedCost);
  const now = Date.now();
  state
    ?.addUsage(
      usagePeriod(now),
      { tenant: input.tenant, model: input.modelGroup, feature: input.feature ?? '' },
      {
        requests: 1,
        cacheHits: 1,
        savedTokens: hit.response.usage.promptTokens + hit.response.usage.completionTokens,
        savedCost,
      },
    )
    .catch((error: Error) =>
      logger.warn({ inferenceId: hit.inferenceId, error: error.message }, 'could not count a cache hit in the usage'),
    );
  if (!state) return undefined;
  return {
    id: `${cacheHitIdPrefix}${randomUUID()}`,
    tenant: input.tenant,
    modelGroup: input.modelGroup,
    trafficClass: input.trafficClass,
    ...(input.feature !== undefined && { feature: input.feature }),
    cache: similarity === undefined ? 'hit' : 'semantic-hit',
    ...(similarity !== undefined && { similarity }),
    sourceInferenceId: hit.inferenceId,
    route: hit.route,
    at: now,
    savedTokens: { prompt: hit.response.usage.promptTokens, completion: hit.response.usage.completionTokens },
    savedCost,
  };
}

/**
 * Writes a served hit's audit entry, with the verdicts of its input checks and of the output checks
 * it met, and the refusal when one refused the cached answer.
 */
export function recordHit(
  { state, logger = defaultLogger }: ApiDependencies,
  hit: ServedHit,
  guardrails: { verdicts: GuardrailVerdict[]; refused?: GuardrailRefusal },
): void {
  const { entry } = hit;
  if (!state || !entry) return;
  const record: CacheHitRecord = {
    ...entry,
    ...(guardrails.verdicts.length && { guardrails: guardrails.verdicts }),
    ...(guardrails.refused && { refused: guardrails.refused }),
  };
  // A store that throws at once (not only one that rejects) must not fail the hit either.
  Promise.resolve()
    .then(() => state.recordCacheHit(record))
    .catch((error: Error) =>
      logger.warn(
        { auditId: record.id, inferenceId: hit.answer.inferenceId, error: error.message },
        'could not record a cache hit in the audit list',
      ),
    );
}

/** A cached answer in the shape the API renders: no provider call, no fallback. */
export function cachedResult(hit: CachedAnswer, input: InferenceInput): InferenceResult {
  return {
    response: hit.response,
    route: hit.route,
    attempts: 0,
    fallback: false,
    decision: {
      trafficClass: input.trafficClass,
      policyVersion: input.routing?.policyVersion ?? '',
      ...(input.guardrails?.verdicts.length && { guardrails: input.guardrails.verdicts }),
      selections: [],
      attempts: [],
    },
  };
}

/**
 * Keeps a successful, whole answer for later identical requests, and for similar ones when the
 * group has a semantic cache (never an error, a cut answer, or with no-store).
 */
export function rememberAnswer(
  dependencies: ApiDependencies,
  input: InferenceInput,
  cache: CacheUse | undefined,
  inferenceId: string,
  result: InferenceResult,
): void {
  const { responseCache, logger = defaultLogger } = dependencies;
  if (!cache?.store || !responseCache || !storableFinish(result.response.finishReason)) return;
  const answer: CachedAnswer = { response: result.response, route: result.route, inferenceId, storedAt: Date.now() };
  responseCache
    .set(cache.key, answer, cache.ttlMs)
    .catch((error: Error) => logger.warn({ inferenceId, error: error.message }, 'could not write the response cache'));
  if (cache.semantic) rememberSimilarAnswer(dependencies, input, cache.semantic, answer, cache.ttlMs);
}
