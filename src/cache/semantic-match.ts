import { guardRefusal, type GuardRefusal } from './semantic-guards';
import type { SemanticCandidate } from './semantic-cache-store';
import { unpackVector } from './semantic-vector';

function dot(left: readonly number[], right: Float32Array): number {
  if (left.length !== right.length) return 0;
  let sum = 0;
  for (let index = 0; index < right.length; index++) sum += left[index]! * right[index]!;
  return sum;
}

/** The outcome of comparing one prompt with its partition's entries. */
export interface SemanticMatch {
  /** The most similar entry at or above the threshold that passed the guards. */
  hit?: { id: string; similarity: number };
  /** Entries at or above the threshold that a guard turned away, most similar first. */
  refused: Array<{ id: string; similarity: number; guard: GuardRefusal }>;
}

/**
 * Compares a prompt's unit vector with every candidate (a dot product each), then takes the most
 * similar one at or above the threshold whose text passes the guards. Pure: plain data in and out.
 */
export function bestMatch(
  text: string,
  vector: readonly number[],
  candidates: SemanticCandidate[],
  threshold: number,
): SemanticMatch {
  const scored = candidates
    .map((candidate) => ({ candidate, similarity: dot(vector, candidate.unpacked ?? unpackVector(candidate.vector)) }))
    .filter((scoredCandidate) => scoredCandidate.similarity >= threshold)
    .sort((left, right) => right.similarity - left.similarity);
  const refused: SemanticMatch['refused'] = [];
  for (const { candidate, similarity } of scored) {
    const guard = guardRefusal(candidate.text, text);
    if (!guard) return { hit: { id: candidate.id, similarity }, refused };
    refused.push({ id: candidate.id, similarity, guard });
  }
  return { refused };
}
