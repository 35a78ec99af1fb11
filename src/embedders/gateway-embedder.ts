import type { ApiDependencies } from '../api/api-dependencies';
import { embedThroughGateway } from '../api/embeddings/embed-through-gateway';
import { decodeVector } from '../providers/canonical-embedding';
import { normalised, type EmbeddingAsker, type TextEmbedder } from './text-embedder';

/**
 * An `embeddings` model group routed by the gateway itself: one inference per text, billed to the
 * tenant the cache serves. Throws when the inference fails, so the lookup counts as a miss.
 */
export class GatewayEmbedder implements TextEmbedder {
  readonly name: string;

  constructor(
    private readonly dependencies: ApiDependencies,
    private readonly modelGroup: string,
  ) {
    this.name = `model-group:${modelGroup}`;
  }

  async embed(text: string, asker: EmbeddingAsker): Promise<number[]> {
    const outcome = await embedThroughGateway(this.dependencies, {
      tenant: asker.tenant,
      modelGroup: this.modelGroup,
      texts: [text],
      feature: asker.feature ?? 'semantic-cache',
    });
    if (outcome.kind !== 'result')
      throw new Error(
        `embedding for the semantic cache did not succeed (${outcome.kind === 'failure' ? outcome.failure.message : outcome.message})`,
      );
    const [packed] = outcome.result.response.embeddings;
    if (!packed) throw new Error('the embedding group answered with no vector');
    return normalised(decodeVector(packed));
  }
}
