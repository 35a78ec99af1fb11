import { createHash } from 'node:crypto';
import type { ChatRequest } from '../providers/canonical-chat';
import { answerFields, stableJson } from './cache-key';

/** What the semantic cache compares for one request: an exact partition and the text embedded. */
export interface SemanticQuery {
  /**
   * SHA-256 of the tenant, the model group and the whole request but the last user message's
   * text: the system prompt, earlier turns, tools, `tool_choice`, `response_format` and every
   * parameter must be equal for two requests to share an entry.
   */
  partition: string;
  /** The last user message's text, the only part compared by meaning. */
  text: string;
}

/** The text of a message made of text only; undefined when it carries anything else (an image, a file). */
function textOnly(content: ChatRequest['messages'][number]['content']): string | undefined {
  if (typeof content === 'string') return content;
  if (!content || content.some((part) => part.type !== 'text')) return undefined;
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

/**
 * The semantic-cache query of a request, single-turn: only its last message is compared by
 * meaning, and only when that message is the user's and holds text alone (not a tool result, an
 * image or a file). Undefined when the request cannot use the semantic cache.
 */
export function semanticQuery(tenant: string, modelGroup: string, request: ChatRequest): SemanticQuery | undefined {
  const last = request.messages.at(-1);
  if (last?.role !== 'user') return undefined;
  const text = textOnly(last.content)?.trim();
  if (!text) return undefined;
  const fields = answerFields(request);
  const lastWithoutText = { ...last, content: null };
  const partition = createHash('sha256')
    .update(
      stableJson({
        version: 1,
        kind: 'semantic',
        tenant,
        modelGroup,
        request: { ...fields, messages: [...request.messages.slice(0, -1), lastWithoutText] },
      }),
    )
    .digest('hex');
  return { partition, text };
}
