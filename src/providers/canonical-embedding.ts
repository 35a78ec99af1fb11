/**
 * The gateway's canonical embedding request and response: what `/v1/embeddings` sends through the
 * `inference` workflow to an embedding route, and what comes back (never credentials).
 */
export interface EmbeddingRequest {
  /** The texts to embed, or (OpenAI-wire routes only) token arrays. Always a list: one entry per vector. */
  input: string[] | number[][];
  /** The length of each vector, for models that can shorten their output. */
  dimensions?: number;
  /** The end user, passed on to providers that take one. */
  user?: string;
}

/** What an embedding request asks of a route, beyond its size in tokens. */
export interface EmbeddingNeeds {
  /** The input holds token arrays, not texts. */
  tokenInput?: boolean;
  /** The vector length asked for. */
  dimensions?: number;
}

export interface EmbeddingUsage {
  promptTokens: number;
  /** Always 0: an embedding has no completion. Kept so bookkeeping treats every call alike. */
  completionTokens: 0;
  totalTokens: number;
}

export interface EmbeddingResponse {
  /** The model the provider says answered. */
  model: string;
  /**
   * One vector per input, in input order, each as little-endian float32 bytes in base64: four
   * times smaller in workflow history than JSON numbers, and exactly OpenAI's `base64` encoding.
   */
  embeddings: string[];
  dimensions: number;
  usage: EmbeddingUsage;
}

/** Packs a vector as little-endian float32 bytes in base64. */
export function encodeVector(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => bytes.writeFloatLE(value, index * 4));
  return bytes.toString('base64');
}

/** Unpacks a vector packed by encodeVector. */
export function decodeVector(packed: string): number[] {
  const bytes = Buffer.from(packed, 'base64');
  const vector: number[] = [];
  for (let offset = 0; offset + 4 <= bytes.length; offset += 4) vector.push(bytes.readFloatLE(offset));
  return vector;
}

/** The canonical response from a list of vectors. */
export function embeddingResponse(model: string, vectors: number[][], promptTokens: number): EmbeddingResponse {
  return {
    model,
    embeddings: vectors.map(encodeVector),
    dimensions: vectors[0]?.length ?? 0,
    usage: { promptTokens, completionTokens: 0, totalTokens: promptTokens },
  };
}
