import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayConfig } from '../config/gateway-config-schema';
import type { ChatRequest, FinishReason } from '../providers/canonical-chat';
import { exactCacheKey } from './cache-key';
import { semanticQuery, type SemanticQuery } from './semantic-cache-key';
import { gatewayHeaders } from '../api/gateway-headers';

/** What one request does with the exact cache; absent when caching is off for it. */
export interface CacheUse {
  key: string;
  /** `Cache-Control: no-cache` skips the lookup (the answer is still stored). */
  lookup: boolean;
  /** `Cache-Control: no-store` keeps the answer out of the cache. */
  store: boolean;
  ttlMs: number;
  /** Present when the group has a semantic cache and the request can use it (its last message is the user's text). */
  semantic?: SemanticCacheUse;
}

/** What one request does with the semantic cache, beside the exact one. */
export interface SemanticCacheUse extends SemanticQuery {
  threshold: number;
  /** The embeddings group to route through; the local embedder when absent. */
  embeddingModelGroup?: string;
  /** The prompt's vector once the lookup has embedded it, so storing the answer does not embed it again. */
  vector?: number[];
}

/** Longest TTL a request may ask for with `x-gateway-cache-ttl`, in seconds (30 days). */
const maximumTtlSeconds = 30 * 24 * 3600;

/** Only a whole answer is worth reusing: not one cut by its length limit or a content filter. */
export function storableFinish(finishReason: FinishReason): boolean {
  return finishReason === 'stop' || finishReason === 'tool_calls';
}

/**
 * How a request uses the cache: on when its model group has `cache` and neither its tenant nor
 * its key turned it off; `Cache-Control` and `x-gateway-cache-ttl` adjust it. Throws a message for
 * a malformed TTL header.
 */
export function cacheUse(
  config: GatewayConfig,
  owner: { tenant: string; cache?: boolean } | undefined,
  modelGroup: string,
  request: ChatRequest,
  headers: IncomingHttpHeaders,
): CacheUse | undefined {
  const group = config.modelGroups.find((candidate) => candidate.name === modelGroup);
  if (!group?.cache || !owner || owner.cache === false) return undefined;
  const directives = String(headers['cache-control'] ?? '')
    .toLowerCase()
    .split(',')
    .map((directive) => directive.trim());
  const ttlHeader = headers[gatewayHeaders.cacheTtl];
  let ttlSeconds = group.cache.ttlSeconds;
  if (ttlHeader !== undefined) {
    const asked = Number(ttlHeader);
    if (!Number.isInteger(asked) || asked < 1 || asked > maximumTtlSeconds)
      throw new RangeError(`x-gateway-cache-ttl must be a whole number of seconds from 1 to ${maximumTtlSeconds}`);
    ttlSeconds = asked;
  }
  const semanticSettings = group.cache.semantic;
  const query = semanticSettings && semanticQuery(owner.tenant, modelGroup, request);
  const semantic = query && {
    ...query,
    threshold: semanticSettings.threshold,
    ...(semanticSettings.embeddingModelGroup && { embeddingModelGroup: semanticSettings.embeddingModelGroup }),
  };
  return {
    key: exactCacheKey(owner.tenant, modelGroup, request),
    lookup: !directives.includes('no-cache'),
    store: !directives.includes('no-store'),
    ttlMs: ttlSeconds * 1000,
    ...(semantic && { semantic }),
  };
}
