import type { ChatMessage, ChatRequest, ChatResponse, ContentPart, ToolCall } from '../providers/canonical-chat';

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

/** The answer with its text and tool-call arguments (of every choice) passed through `rewrite`. */
export function rewriteResponseTexts(response: ChatResponse, rewrite: TextRewrite): ChatResponse {
  const toolCalls = rewriteToolCalls(response.toolCalls, rewrite);
  const moreChoices = response.moreChoices?.map((choice) => {
    const calls = rewriteToolCalls(choice.toolCalls, rewrite);
    return {
      ...choice,
      content: choice.content === null ? null : rewrite(choice.content),
      ...(calls && { toolCalls: calls }),
    };
  });
  return {
    ...response,
    content: response.content === null ? null : rewrite(response.content),
    ...(toolCalls && { toolCalls }),
    ...(moreChoices && { moreChoices }),
  };
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
