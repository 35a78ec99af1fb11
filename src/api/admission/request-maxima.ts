import type { ChatRequest } from '../../providers/canonical-chat';
import type { RequestNeeds } from '../../routing/routing-types';
import type { KeyScopes } from './gateway-keys';
import type { AdmissionRefusal } from './admission-refusal';

/**
 * Holds a request to its key's maximums on messages and tokens. A request over one is refused with
 * 400 before anything is reserved; a request that asks for no output limit gets the key's.
 */
export function applyRequestMaxima(
  scopes: KeyScopes | undefined,
  request: ChatRequest,
  needs: RequestNeeds,
  /** The field the client set its output limit in, named in a refusal. */
  outputParam = 'max_tokens',
): { refusal: AdmissionRefusal } | { request: ChatRequest; needs: RequestNeeds } {
  const { maxMessages, maxPromptTokens, maxOutputTokens } = scopes ?? {};
  if (maxMessages !== undefined && request.messages.length > maxMessages) {
    return {
      refusal: {
        status: 400,
        code: 'too_many_messages',
        param: 'messages',
        message: `This request has ${request.messages.length} messages; this key allows at most ${maxMessages}.`,
      },
    };
  }
  if (maxPromptTokens !== undefined && needs.estimatedPromptTokens > maxPromptTokens) {
    return {
      refusal: {
        status: 400,
        code: 'prompt_too_large',
        param: 'messages',
        message: `This request's prompt is about ${needs.estimatedPromptTokens} tokens; this key allows at most ${maxPromptTokens}.`,
      },
    };
  }
  if (maxOutputTokens === undefined) return { request, needs };
  if (request.max_tokens !== undefined && request.max_tokens > maxOutputTokens) {
    return {
      refusal: {
        status: 400,
        code: 'max_tokens_too_large',
        param: outputParam,
        message: `This request asks for ${request.max_tokens} output tokens (${outputParam}); this key allows at most ${maxOutputTokens}.`,
      },
    };
  }
  if (request.max_tokens !== undefined) return { request, needs };
  return { request: { ...request, max_tokens: maxOutputTokens }, needs: { ...needs, maxOutputTokens } };
}
