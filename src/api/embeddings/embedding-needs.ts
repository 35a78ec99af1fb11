import { countTokens } from 'gpt-tokenizer';
import type { GatewayConfig } from '../../config/gateway-config-schema';
import type { EmbeddingRequest } from '../../providers/canonical-embedding';
import { embeddingRouteRefusal } from '../../providers/embedding-capabilities';
import { routeCandidates } from '../../routing/route-candidates';
import type { AdmissionRefusal } from '../admission/admission-refusal';
import type { RequestNeeds } from '../../routing/routing-types';
import type { EmbeddingBody } from './embeddings-schema';

/** The canonical request: the input always as a list (one entry per vector). */
export function embeddingBodyToRequest(body: EmbeddingBody): EmbeddingRequest {
  const { input } = body;
  const list: string[] | number[][] =
    typeof input === 'string'
      ? [input]
      : typeof input[0] === 'number'
        ? [input as number[]]
        : (input as string[] | number[][]);
  return {
    input: list,
    ...(body.dimensions != null && { dimensions: body.dimensions }),
    ...(body.user != null && { user: body.user }),
  };
}

/** Client text is counted as text: a special-token string such as `<|endoftext|>` is not special here. */
const tokens = (item: string | number[]) =>
  typeof item === 'string' ? countTokens(item, { disallowedSpecial: new Set() }) : item.length;

/**
 * What an embedding request needs from a route: its tokens (real tokenizer) for quotas and cost,
 * no output, its largest input for the model's input limit, and whether it sends token arrays or
 * asks for shorter vectors (which not every embedding model can do).
 */
export function embeddingNeeds(request: EmbeddingRequest): RequestNeeds {
  const counts = request.input.map(tokens);
  const tokenInput = request.input.some((item) => typeof item !== 'string');
  return {
    estimatedPromptTokens: counts.reduce((sum, count) => sum + count, 0),
    maxOutputTokens: 0,
    tools: false,
    vision: false,
    jsonMode: false,
    operation: 'embeddings',
    embedding: {
      longestInputTokens: Math.max(...counts),
      ...(tokenInput && { tokenInput }),
      ...(request.dimensions !== undefined && { dimensions: request.dimensions }),
    },
  };
}

/**
 * A 400 when no route of the group (fallbacks included) can take the request as asked, whatever
 * their state: a route that cannot shorten vectors, take token arrays or an input that long never
 * will, so the request fails before an inference starts, with each model's reason.
 */
export function embeddingCapabilityRefusal(
  config: GatewayConfig,
  modelGroup: string,
  needs: RequestNeeds,
): AdmissionRefusal | undefined {
  const group = config.modelGroups.find((candidate) => candidate.name === modelGroup);
  if (!group || group.operation !== 'embeddings' || !needs.embedding) return undefined;
  const reasons = new Map<string, string>();
  for (const candidate of routeCandidates(config, modelGroup)) {
    const tooLong =
      candidate.contextWindow !== undefined && needs.embedding.longestInputTokens > candidate.contextWindow;
    const refusal =
      embeddingRouteRefusal(candidate.route.providerKind, candidate.route.model, needs.embedding) ??
      (tooLong
        ? `takes at most ${candidate.contextWindow} tokens per input (the longest has ${needs.embedding.longestInputTokens})`
        : undefined);
    if (!refusal) return undefined;
    reasons.set(candidate.route.model, refusal);
  }
  const why = [...reasons].map(([model, reason]) => `${model} ${reason}`).join('; ');
  const param =
    needs.embedding.dimensions !== undefined &&
    [...reasons.values()].some((reason) => reason.includes('dimensions') || reason.includes('shorten'))
      ? 'dimensions'
      : 'input';
  return {
    status: 400,
    code: 'invalid_request',
    param,
    message: `No model of "${modelGroup}" can serve this request: ${why}.`,
  };
}
