import type {
  ChatChoice,
  ChatMessage,
  ChatRequest,
  ChatResponse,
  ContentPart,
  ThinkingBlock,
  ToolCall,
} from '../providers/canonical-chat';

/** Rewrites one text; the identity leaves it as it is. */
export type TextRewrite = (text: string) => string;

function rewriteToolCalls(calls: ToolCall[] | undefined, rewrite: TextRewrite): ToolCall[] | undefined {
  return calls?.map((call) => ({
    ...call,
    function: { ...call.function, arguments: rewrite(call.function.arguments) },
  }));
}

function rewritePart(part: ContentPart, rewrite: TextRewrite): ContentPart {
  return part.type === 'text' ? { ...part, text: rewrite(part.text) } : part;
}

function rewriteMessage(message: ChatMessage, rewrite: TextRewrite): ChatMessage {
  const content =
    typeof message.content === 'string'
      ? rewrite(message.content)
      : (message.content?.map((part) => rewritePart(part, rewrite)) ?? null);
  const toolCalls = rewriteToolCalls(message.tool_calls, rewrite);
  return { ...message, content, ...(toolCalls && { tool_calls: toolCalls }) };
}

/**
 * The request with every text a model reads passed through `rewrite`: each message's content
 * (string or every text part), each tool call's arguments, of every message, not only the last.
 */
export function rewriteRequestTexts(request: ChatRequest, rewrite: TextRewrite): ChatRequest {
  return { ...request, messages: request.messages.map((message) => rewriteMessage(message, rewrite)) };
}

/** The reasoning blocks with their thinking texts rewritten; a block whose text changed loses its signature. */
function rewriteThinking(blocks: ThinkingBlock[] | undefined, rewrite: TextRewrite): ThinkingBlock[] | undefined {
  return blocks?.map((block) => {
    if (block.type !== 'thinking') return block;
    const thinking = rewrite(block.thinking);
    if (thinking === block.thinking) return block;
    const { signature, ...unsigned } = block;
    void signature; // it signs the text as the provider sent it
    return { ...unsigned, thinking };
  });
}

/** One answer's texts rewritten (content, tool-call arguments, reasoning), and whether any changed. */
function rewriteChoice<C extends ChatChoice | ChatResponse>(
  choice: C,
  rewrite: TextRewrite,
): { choice: C; changed: boolean } {
  let changed = false;
  const tracked: TextRewrite = (text) => {
    const result = rewrite(text);
    if (result !== text) changed = true;
    return result;
  };
  const toolCalls = rewriteToolCalls(choice.toolCalls, tracked);
  const rewritten: C = {
    ...choice,
    content: choice.content === null ? null : tracked(choice.content),
    ...(toolCalls && { toolCalls }),
    ...(choice.reasoning !== undefined && { reasoning: tracked(choice.reasoning) }),
  };
  if ('thinking' in choice) {
    const thinking = rewriteThinking(choice.thinking, tracked);
    if (thinking) (rewritten as ChatResponse).thinking = thinking;
  }
  return { choice: rewritten, changed };
}

/**
 * The answer with every text a client reads (of every choice) passed through `rewrite`: the text,
 * the tool-call arguments and the reasoning. Where the rewrite changes an answer, what cannot be
 * rewritten faithfully goes: its log probabilities (their tokens are the original text) and
 * Anthropic's raw content blocks (an Anthropic client then gets the canonical blocks, rewritten).
 */
export function rewriteResponseTexts(response: ChatResponse, rewrite: TextRewrite): ChatResponse {
  const moreChoices = response.moreChoices?.map((choice) => {
    const outcome = rewriteChoice(choice, rewrite);
    if (!outcome.changed) return outcome.choice;
    const { logprobs, ...rest } = outcome.choice;
    void logprobs;
    return rest;
  });
  const first = rewriteChoice(response, rewrite);
  const rewritten: ChatResponse = { ...first.choice, ...(moreChoices && { moreChoices }) };
  if (!first.changed) return rewritten;
  const { logprobs, anthropicContent, ...rest } = rewritten;
  void [logprobs, anthropicContent];
  return rest;
}

/** Every text a rewrite would see, in order. */
export function collectTexts(visit: (rewrite: TextRewrite) => unknown): string[] {
  const texts: string[] = [];
  visit((text) => {
    texts.push(text);
    return text;
  });
  return texts;
}
