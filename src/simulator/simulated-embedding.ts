import { createHash } from 'node:crypto';
import { countTokens } from 'gpt-tokenizer';

/** The vector length of the models the simulator knows; other models get 768. */
const nativeDimensions: Array<[RegExp, number]> = [
  [/text-embedding-3-large/, 3072],
  [/text-embedding-3-small|text-embedding-ada-002/, 1536],
  [/titan-embed-text-v2|cohere\.embed-/, 1024],
];

export function simulatedDimensions(model: string): number {
  return nativeDimensions.find(([pattern]) => pattern.test(model))?.[1] ?? 768;
}

/**
 * A deterministic unit vector for a text under a model: SHA-256 blocks of (model, text, counter)
 * read as numbers in [-1, 1], then normalised. `dimensions` keeps the first components and
 * normalises again, the way OpenAI shortens text-embedding-3 vectors.
 */
export function simulatedEmbedding(model: string, input: string | number[], dimensions?: number): number[] {
  const text = typeof input === 'string' ? input : `tokens:${input.join(',')}`;
  const full = simulatedDimensions(model);
  const values: number[] = [];
  for (let block = 0; values.length < full; block++) {
    const digest = createHash('sha256').update(`${model}\u0000${text}\u0000${block}`).digest();
    for (let offset = 0; offset + 2 <= digest.length && values.length < full; offset += 2)
      values.push(digest.readUInt16LE(offset) / 32_767.5 - 1);
  }
  const kept = values.slice(0, dimensions ?? full);
  const norm = Math.hypot(...kept) || 1;
  return kept.map((value) => value / norm);
}

/** Tokens of one input as the simulator bills them: a real tokenizer's count, or the token array's length. */
export function simulatedInputTokens(input: string | number[]): number {
  return typeof input === 'string' ? countTokens(input, { disallowedSpecial: new Set() }) : input.length;
}
