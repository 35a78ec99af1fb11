import type Anthropic from '@anthropic-ai/sdk';
import { jsonModeInstruction, parseDataUrl, splitSystemPrompt, textOf, type ChatMessage, type ChatRequest, type ContentPart } from '../canonical-chat';
import { ProviderCallError } from '../provider-error';

type MessageParam = Anthropic.MessageParam;
type ContentBlockParam = Anthropic.ContentBlockParam;

function toImageBlock(url: string): ContentBlockParam {
  const data = parseDataUrl(url);
  if (data) {
    return { type: 'image', source: { type: 'base64', media_type: data.mediaType as 'image/png', data: data.base64 } };
  }
  return { type: 'image', source: { type: 'url', url } };
}

function toContentBlocks(content: string | ContentPart[] | null): ContentBlockParam[] {
  if (content === null) return [];
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  return content.map((part) => (part.type === 'text' ? { type: 'text', text: part.text } : toImageBlock(part.image_url.url)));
}

function parseArguments(text: string, toolName: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    throw new ProviderCallError({ type: 'InvalidRequest', message: `The arguments of the call to tool "${toolName}" are not valid JSON` });
  }
}

function toAnthropicMessage(message: ChatMessage): MessageParam {
  if (message.role === 'tool') {
    return {
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: message.tool_call_id ?? '', content: textOf(message.content) }],
    };
  }
  const blocks = toContentBlocks(message.content);
  for (const call of message.tool_calls ?? []) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input: parseArguments(call.function.arguments, call.function.name) });
  }
  const role: MessageParam['role'] = message.role === 'assistant' ? 'assistant' : 'user';
  return { role, content: blocks };
}

/** Anthropic wants user and assistant turns to alternate: consecutive same-role turns are merged. */
function mergeConsecutiveTurns(messages: MessageParam[]): MessageParam[] {
  const merged: MessageParam[] = [];
  for (const message of messages) {
    const previous = merged.at(-1);
    if (previous && previous.role === message.role) {
      previous.content = [...(previous.content as ContentBlockParam[]), ...(message.content as ContentBlockParam[])];
    } else {
      merged.push({ ...message, content: [...(message.content as ContentBlockParam[])] } as MessageParam);
    }
  }
  return merged;
}

function toToolChoice(choice: ChatRequest['tool_choice']): Anthropic.ToolChoice | undefined {
  if (choice === undefined) return undefined;
  if (choice === 'auto') return { type: 'auto' };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any' };
  return { type: 'tool', name: choice.function.name };
}

/**
 * Canonical request → Anthropic Messages body: the system prompt is split out, tool calls and
 * results become tool_use and tool_result blocks, and max_tokens is always sent.
 */
export function toAnthropicRequest(model: string, request: ChatRequest, defaultMaxTokens: number): Anthropic.MessageCreateParamsNonStreaming {
  const { system, rest } = splitSystemPrompt(request.messages);
  const systemText = [system, jsonModeInstruction(request.response_format)].filter(Boolean).join('\n\n');
  const toolChoice = toToolChoice(request.tool_choice);
  return {
    model,
    max_tokens: request.max_tokens ?? defaultMaxTokens,
    messages: mergeConsecutiveTurns(rest.map(toAnthropicMessage)),
    ...(systemText && { system: systemText }),
    ...(request.tools && {
      tools: request.tools.map((tool) => ({
        name: tool.function.name,
        ...(tool.function.description && { description: tool.function.description }),
        input_schema: (tool.function.parameters ?? { type: 'object', properties: {} }) as Anthropic.Tool.InputSchema,
      })),
    }),
    ...(toolChoice && { tool_choice: toolChoice }),
    ...(request.temperature !== undefined && { temperature: Math.min(request.temperature, 1) }),
    ...(request.top_p !== undefined && { top_p: request.top_p }),
    ...(request.stop !== undefined && { stop_sequences: Array.isArray(request.stop) ? request.stop : [request.stop] }),
  };
}
