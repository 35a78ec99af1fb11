import type Anthropic from '@anthropic-ai/sdk';
import {
  jsonModeInstruction,
  parseDataUrl,
  splitSystemParts,
  textOf,
  type CacheControl,
  type ChatMessage,
  type ChatRequest,
  type ContentPart,
  type FilePart,
  type ImagePart,
} from '../canonical-chat';
import { thinkingBudget } from '../reasoning-effort';
import { ProviderCallError } from '../provider-error';

type MessageParam = Anthropic.MessageParam;
type ContentBlockParam = Anthropic.ContentBlockParam;

const cache = (control: CacheControl | undefined) => (control ? { cache_control: control } : {});

function toImageBlock(part: ImagePart): ContentBlockParam {
  const data = parseDataUrl(part.image_url.url);
  if (data) {
    return {
      type: 'image',
      source: { type: 'base64', media_type: data.mediaType as 'image/png', data: data.base64 },
      ...cache(part.cache_control),
    };
  }
  return { type: 'image', source: { type: 'url', url: part.image_url.url }, ...cache(part.cache_control) };
}

function toContentBlocks(content: string | ContentPart[] | null): ContentBlockParam[] {
  if (content === null) return [];
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  // Audio and file parts never reach here: parameter-support drops them for this route.
  return content.flatMap((part): ContentBlockParam[] => {
    if (part.type === 'text') return [{ type: 'text', text: part.text, ...cache(part.cache_control) }];
    if (part.type === 'image_url') return [toImageBlock(part)];
    if (part.type === 'file') return toDocumentBlock(part);
    return [];
  });
}

/** An inline PDF or text file as an Anthropic document (parameter-support drops other files here). */
function toDocumentBlock(part: FilePart): ContentBlockParam[] {
  const data = part.file.file_data ? parseDataUrl(part.file.file_data) : undefined;
  if (!data) return [];
  const title = part.file.filename ? { title: part.file.filename } : {};
  const source =
    data.mediaType === 'text/plain'
      ? {
          type: 'text' as const,
          media_type: 'text/plain' as const,
          data: Buffer.from(data.base64, 'base64').toString('utf8'),
        }
      : { type: 'base64' as const, media_type: 'application/pdf' as const, data: data.base64 };
  return [{ type: 'document', source, ...title, ...cache(part.cache_control) }];
}

function parseArguments(text: string, toolName: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    throw new ProviderCallError({
      type: 'InvalidRequest',
      message: `The arguments of the call to tool "${toolName}" are not valid JSON`,
    });
  }
}

function toolResultContent(content: ChatMessage['content']): string | Anthropic.ToolResultBlockParam['content'] {
  if (!Array.isArray(content) || content.every((part) => part.type === 'text')) return textOf(content);
  return toContentBlocks(content) as Anthropic.ToolResultBlockParam['content'];
}

function toAnthropicMessage(message: ChatMessage): MessageParam {
  if (message.role === 'tool') {
    return {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: message.tool_call_id ?? '',
          content: toolResultContent(message.content),
          ...(message.is_error && { is_error: true }),
          ...cache(message.cache_control),
        },
      ],
    };
  }
  // Earlier reasoning goes back first, signatures and all, as Anthropic requires.
  const blocks: ContentBlockParam[] = (message.thinking ?? []).map((block) =>
    block.type === 'thinking'
      ? { type: 'thinking', thinking: block.thinking, signature: block.signature ?? '' }
      : { type: 'redacted_thinking', data: block.data },
  );
  blocks.push(...toContentBlocks(message.content));
  const calls = message.tool_calls ?? [];
  calls.forEach((call, index) => {
    const last = index === calls.length - 1;
    blocks.push({
      type: 'tool_use',
      id: call.id,
      name: call.function.name,
      input: parseArguments(call.function.arguments, call.function.name),
      ...(last && cache(message.cache_control)),
    });
  });
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

function toToolChoice(
  choice: ChatRequest['tool_choice'],
  parallel: boolean | undefined,
): Anthropic.ToolChoice | undefined {
  const single = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined) return parallel === false ? { type: 'auto', ...single } : undefined;
  if (choice === 'auto') return { type: 'auto', ...single };
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any', ...single };
  return { type: 'tool', name: choice.function.name, ...single };
}

/** The system prompt: one text, or blocks when any part of it marks a cache breakpoint. */
function toSystem(request: ChatRequest): string | Anthropic.TextBlockParam[] | undefined {
  const { system } = splitSystemParts(request.messages);
  const instruction = jsonModeInstruction(request.response_format);
  if (!system.some((part) => part.cache_control)) {
    const text = [system.map((part) => part.text).join('\n\n'), instruction].filter(Boolean).join('\n\n');
    return text || undefined;
  }
  return [
    ...system.map((part) => ({ type: 'text' as const, text: part.text, ...cache(part.cache_control) })),
    ...(instruction ? [{ type: 'text' as const, text: instruction }] : []),
  ];
}

/** Claude's thinking: as an Anthropic client asked, or a budget for an OpenAI client's reasoning effort. */
export function claudeThinking(request: ChatRequest, maxTokens: number): ChatRequest['thinking'] | undefined {
  if (request.thinking) return request.thinking;
  if (!request.reasoning_effort || request.reasoning_effort === 'none') return undefined;
  const budget = thinkingBudget(request.reasoning_effort, maxTokens);
  return budget === undefined ? undefined : { type: 'enabled', budget_tokens: budget };
}

/** The user id Anthropic keeps for abuse monitoring: the request's `user`, or its safety identifier. */
function userId(request: ChatRequest): string | undefined {
  return request.user ?? request.end_user;
}

/**
 * Canonical request → Anthropic Messages body: the system prompt is split out, tool calls and
 * results become tool_use and tool_result blocks, earlier reasoning goes back as thinking blocks,
 * cache breakpoints stay where the client put them, and max_tokens is always sent. Anthropic-only
 * fields (`context_management`, `output_config`, …) go as they came.
 */
export function toAnthropicRequest(
  model: string,
  request: ChatRequest,
  defaultMaxTokens: number,
): Anthropic.MessageCreateParamsNonStreaming {
  const { rest } = splitSystemParts(request.messages);
  const system = toSystem(request);
  const serverTools = request.anthropic?.serverTools ?? [];
  const hasTools = request.tools !== undefined || serverTools.length > 0;
  const toolChoice = hasTools
    ? toToolChoice(request.tool_choice, request.parallel_tool_calls)
    : request.tool_choice === 'none'
      ? { type: 'none' as const }
      : undefined;
  const maxTokens = request.max_tokens ?? defaultMaxTokens;
  const thinking = claudeThinking(request, maxTokens);
  const user = userId(request);
  return {
    model,
    max_tokens: maxTokens,
    messages: mergeConsecutiveTurns(rest.map(toAnthropicMessage)),
    ...(system && { system }),
    ...(hasTools && {
      tools: [
        ...(request.tools ?? []).map((tool) => ({
          name: tool.function.name,
          ...(tool.function.description && { description: tool.function.description }),
          input_schema: (tool.function.parameters ?? { type: 'object', properties: {} }) as Anthropic.Tool.InputSchema,
          ...cache(tool.cache_control),
        })),
        ...(serverTools as unknown as Anthropic.ToolUnion[]),
      ],
    }),
    ...(toolChoice && { tool_choice: toolChoice }),
    ...(request.temperature !== undefined && { temperature: Math.min(request.temperature, 1) }),
    ...(request.top_p !== undefined && { top_p: request.top_p }),
    ...(request.top_k !== undefined && { top_k: request.top_k }),
    ...(request.stop !== undefined && { stop_sequences: Array.isArray(request.stop) ? request.stop : [request.stop] }),
    ...(thinking && { thinking: thinking as Anthropic.ThinkingConfigParam }),
    ...(user !== undefined && { metadata: { user_id: user } }),
    ...request.anthropic?.fields,
  } as Anthropic.MessageCreateParamsNonStreaming;
}

/** The `anthropic-beta` header for the flags the client sent, when it sent any. */
export function anthropicBetaHeaders(request: ChatRequest): Record<string, string> | undefined {
  const betas = request.anthropic?.betas ?? [];
  return betas.length > 0 ? { 'anthropic-beta': betas.join(',') } : undefined;
}
