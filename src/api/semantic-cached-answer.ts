import { randomUUID } from 'node:crypto';
import type { SemanticCacheUse } from '../cache/cache-policy';
import type { CachedAnswer } from '../cache/response-cache';
import { bestMatch } from '../cache/semantic-match';
import { GatewayEmbedder } from '../embedders/gateway-embedder';
import type { TextEmbedder } from '../embedders/text-embedder';
import { logger as defaultLogger } from '../observability/logger';
import { semanticLookupDuration } from '../observability/metrics';
import { encodeVector } from '../providers/canonical-embedding';
import type { InferenceInput } from '../workflows/inference-types';
import type { ApiDependencies } from './api-dependencies';

/** A semantic hit: the stored answer and how similar its prompt was. */
export interface SimilarAnswer {
  answer: CachedAnswer;
  similarity: number;
}

/** The embedder a group's semantic cache uses: its embeddings group through the gateway, or the local model. */
async function embedderFor(
  dependencies: ApiDependencies,
  semantic: SemanticCacheUse,
): Promise<TextEmbedder | undefined> {
  if (semantic.embeddingModelGroup) return new GatewayEmbedder(dependencies, semantic.embeddingModelGroup);
  return dependencies.localEmbedder?.();
}

async function vectorOf(
  dependencies: ApiDependencies,
  semantic: SemanticCacheUse,
  input: InferenceInput,
): Promise<number[] | undefined> {
  if (semantic.vector) return semantic.vector;
  const embedder = await embedderFor(dependencies, semantic);
  if (!embedder) return undefined;
  semantic.vector = await embedder.embed(semantic.text, {
    tenant: input.tenant,
    ...(input.feature && { feature: input.feature }),
  });
  return semantic.vector;
}

/**
 * Looks the request's last user message up among its partition's entries: embeds it, scans the
 * partition, and returns the most similar answer at or above the threshold that passes the
 * guards. A store or embedder that fails is a miss, logged: the request goes to a provider.
 */
export async function lookUpSimilarAnswer(
  dependencies: ApiDependencies,
  input: InferenceInput,
  semantic: SemanticCacheUse,
): Promise<SimilarAnswer | undefined> {
  const { semanticCache, logger = defaultLogger } = dependencies;
  if (!semanticCache) return undefined;
  const started = performance.now();
  let result: 'semantic_hit' | 'miss' | 'error' = 'miss';
  try {
    const vector = await vectorOf(dependencies, semantic, input);
    if (!vector) return undefined;
    const match = bestMatch(
      semantic.text,
      vector,
      await semanticCache.candidates(semantic.partition),
      semantic.threshold,
    );
    if (match.refused.length > 0)
      logger.info(
        { tenant: input.tenant, modelGroup: input.modelGroup, refused: match.refused },
        'semantic cache: similar entries turned away by the guards',
      );
    if (!match.hit) return undefined;
    const answer = await semanticCache.answer(semantic.partition, match.hit.id);
    if (!answer) return undefined;
    result = 'semantic_hit';
    return { answer, similarity: match.hit.similarity };
  } catch (error) {
    result = 'error';
    logger.warn({ error: (error as Error).message }, 'could not look up the semantic cache; asking a provider');
    return undefined;
  } finally {
    semanticLookupDuration.observe({ model_group: input.modelGroup, result }, (performance.now() - started) / 1000);
  }
}

/** Stores an answer under its prompt's vector, embedding the prompt when the lookup did not (Cache-Control: no-cache). */
export function rememberSimilarAnswer(
  dependencies: ApiDependencies,
  input: InferenceInput,
  semantic: SemanticCacheUse,
  answer: CachedAnswer,
  ttlMs: number,
): void {
  const { semanticCache, logger = defaultLogger } = dependencies;
  if (!semanticCache) return;
  const store = async () => {
    const vector = await vectorOf(dependencies, semantic, input);
    if (!vector) return;
    await semanticCache.add(
      semantic.partition,
      { id: randomUUID(), text: semantic.text, vector: encodeVector(vector), expiresAt: Date.now() + ttlMs },
      answer,
    );
  };
  store().catch((error: Error) =>
    logger.warn({ inferenceId: answer.inferenceId, error: error.message }, 'could not write the semantic cache'),
  );
}
