import { countTokens } from 'gpt-tokenizer';
import type { ChatRequest, TextPart } from '../../providers/canonical-chat';
import type { RequestNeeds } from '../../routing/routing-types';

/**
 * Completion budget assumed for quota and cost estimates when the client sets no max_tokens.
 * @default 512
 */
export const defaultOutputTokenEstimate = 512;

/**
 * Tokens assumed for one image, whose size the gateway does not decode: OpenAI's vision pricing
 * counts 85 tokens plus 170 per 512-pixel tile, so 765 for a 1024×1024 image in high detail.
 */
export const imageTokenEstimate = 765;

/** Tokens a message costs beyond its text (role and framing), as OpenAI's chat format counts them. */
const perMessageOverhead = 4;

/** Client text is counted as text: a special-token string such as `<|endoftext|>` is not special here. */
const tokens = (text: string) => countTokens(text, { disallowedSpecial: new Set() });

/** What a request needs from a route: its size in tokens (real tokenizer) and the features it uses. */
export function requestNeeds(request: ChatRequest): RequestNeeds {
  let promptTokens = 3;
  let vision = false;
  for (const message of request.messages) {
    promptTokens += perMessageOverhead;
    if (typeof message.content === 'string') promptTokens += tokens(message.content);
    else
      for (const part of message.content ?? []) {
        if (part.type === 'text') promptTokens += tokens((part as TextPart).text);
        else if (part.type === 'image_url') {
          vision = true;
          promptTokens += imageTokenEstimate;
        }
      }
    for (const call of message.tool_calls ?? []) promptTokens += tokens(call.function.name + call.function.arguments);
    for (const block of message.thinking ?? []) promptTokens += block.type === 'thinking' ? tokens(block.thinking) : 0;
  }
  if (request.tools) promptTokens += tokens(JSON.stringify(request.tools));
  return {
    estimatedPromptTokens: promptTokens,
    maxOutputTokens: request.max_tokens ?? defaultOutputTokenEstimate,
    tools: (request.tools?.length ?? 0) > 0,
    vision,
    jsonMode: request.response_format !== undefined && request.response_format.type !== 'text',
  };
}
