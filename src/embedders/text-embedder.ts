/** Who an embedding is for: a gateway-routed embedder bills the tenant. */
export interface EmbeddingAsker {
  tenant: string;
  feature?: string;
}

/** Turns one text into a unit vector (cosine similarity is then a dot product). */
export interface TextEmbedder {
  /** Names the embedder in logs and docs, e.g. `local:all-minilm-l6-v2-q`. */
  readonly name: string;
  embed(text: string, asker: EmbeddingAsker): Promise<number[]>;
}

/** The dot product of two vectors of the same length: their cosine similarity when both are unit vectors. */
export function dotProduct(left: readonly number[], right: readonly number[]): number {
  if (left.length !== right.length) return 0;
  let sum = 0;
  for (let index = 0; index < left.length; index++) sum += left[index]! * right[index]!;
  return sum;
}

/** The vector scaled to length 1 (a zero vector stays zero). */
export function normalised(vector: readonly number[]): number[] {
  const length = Math.hypot(...vector);
  return length > 0 ? vector.map((value) => value / length) : [...vector];
}
