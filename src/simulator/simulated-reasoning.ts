import { createHash } from 'node:crypto';

/** The simulated model's reasoning before it answers, decided from the conversation alone. */
export function simulatedThinking(lastUserText: string): string {
  return `Simulated thinking about: ${lastUserText.slice(0, 200)}`;
}

/** The signature the simulator puts on a thinking block: a digest of its text, so it can check one sent back. */
export function thinkingSignature(thinking: string): string {
  return `sim-sig-${createHash('sha256').update(thinking).digest('base64url').slice(0, 24)}`;
}

/** A thinking block sent back whose signature is not the one the simulator gave it, as Anthropic refuses it. */
export function findForgedThinking(blocks: Array<{ thinking: string; signature?: string }>): string | undefined {
  return blocks.find((block) => block.signature !== thinkingSignature(block.thinking))?.thinking;
}

/**
 * Prompt caching as the simulator plays it: the first request with a cache breakpoint writes the
 * prompt to the cache, a later one with the same cached prefix reads it.
 */
export class SimulatedPromptCache {
  private readonly seen = new Set<string>();

  /** Tokens written and read for a request whose cached prefix is `prefix` (undefined: no breakpoint). */
  use(prefix: string | undefined, promptTokens: number): { write: number; read: number } {
    if (prefix === undefined) return { write: 0, read: 0 };
    const key = createHash('sha256').update(prefix).digest('hex');
    if (this.seen.has(key)) return { write: 0, read: promptTokens };
    this.seen.add(key);
    return { write: promptTokens, read: 0 };
  }
}
