import type { ChatResponse, ThinkingBlock } from '../../providers/canonical-chat';

/** Marks the gateway's own `encrypted_content`: the reasoning blocks, signatures included, as base64url JSON. */
const prefix = 'gw1.';

/**
 * A reasoning item's `encrypted_content`: opaque to the client, and the reasoning blocks (with
 * the signatures Anthropic and Claude on Bedrock check) when it comes back in a later request.
 * The gateway does not encrypt it: it holds only what the client was already given.
 */
export function encodeReasoning(blocks: ThinkingBlock[]): string {
  return `${prefix}${Buffer.from(JSON.stringify(blocks), 'utf8').toString('base64url')}`;
}

/** The blocks of an `encrypted_content` the gateway made; undefined for any other. */
export function decodeReasoning(content: string | null | undefined): ThinkingBlock[] | undefined {
  if (!content?.startsWith(prefix)) return undefined;
  try {
    const blocks: unknown = JSON.parse(Buffer.from(content.slice(prefix.length), 'base64url').toString('utf8'));
    if (!Array.isArray(blocks)) return undefined;
    const valid = blocks.every(
      (block: Partial<Record<string, unknown>>) =>
        (block?.type === 'thinking' &&
          typeof block.thinking === 'string' &&
          (block.signature === undefined || typeof block.signature === 'string')) ||
        (block?.type === 'redacted_thinking' && typeof block.data === 'string'),
    );
    return valid ? (blocks as ThinkingBlock[]) : undefined;
  } catch {
    return undefined;
  }
}

/** The answer's reasoning as blocks: the provider's own, or its reasoning text as one unsigned block. */
export function reasoningBlocks(response: Pick<ChatResponse, 'thinking' | 'reasoning'>): ThinkingBlock[] {
  return response.thinking ?? (response.reasoning ? [{ type: 'thinking', thinking: response.reasoning }] : []);
}
