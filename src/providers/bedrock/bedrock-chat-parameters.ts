import type { ChatParameterSupport } from '../chat-parameter-support';

/** Which family a Bedrock model belongs to, for the fields only some models take. */
export function isClaudeModel(model: string): boolean {
  return /claude/i.test(model);
}

function isNovaModel(model: string): boolean {
  return /nova/i.test(model);
}

/** Anthropic body fields a Claude model on Bedrock also takes (through additionalModelRequestFields). */
export const bedrockClaudeAnthropicFields = ['context_management', 'output_config'];

/**
 * What a Bedrock model takes through Converse: Claude takes a thinking budget, `output_config`
 * and some Anthropic fields and betas; Claude and Nova take `top_k`; other models reason not at all.
 */
export function bedrockChatParameters(model: string): ChatParameterSupport {
  const claude = isClaudeModel(model);
  return {
    openAIWire: false,
    outputConfig: claude,
    topK: claude || isNovaModel(model),
    reasoning: claude ? 'thinking-budget' : 'none',
    parallelToolCallsOff: false,
    metadata: true,
    endUser: true,
    openAIExtensions: false,
    anthropicFields: claude ? bedrockClaudeAnthropicFields : [],
    anthropicBetas: claude,
  };
}
