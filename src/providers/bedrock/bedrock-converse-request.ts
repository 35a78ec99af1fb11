import type {
  ContentBlock,
  ConverseCommandInput,
  Message,
  SystemContentBlock,
  Tool,
  ToolChoice,
} from '@aws-sdk/client-bedrock-runtime';
import { claudeThinking } from '../anthropic/anthropic-messages-request';
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
} from '../canonical-chat';
import { isClaudeModel } from './bedrock-chat-parameters';
import { ProviderCallError } from '../provider-error';

/** Converse marks a prompt-cache breakpoint with a cache point block after the cached content. */
const cachePoint = { cachePoint: { type: 'default' as const } };
const cachePointAfter = (control: CacheControl | undefined) => (control ? [cachePoint] : []);

const imageFormats: Record<string, 'png' | 'jpeg' | 'gif' | 'webp'> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

function toImageBlock(url: string): ContentBlock {
  const data = parseDataUrl(url);
  const format = data && imageFormats[data.mediaType];
  if (!data || !format) {
    throw new ProviderCallError({
      type: 'InvalidRequest',
      message: 'Bedrock routes accept images only as base64 data URLs of PNG, JPEG, GIF or WebP',
    });
  }
  return { image: { format, source: { bytes: Buffer.from(data.base64, 'base64') } } };
}

function toContentBlocks(content: string | ContentPart[] | null): ContentBlock[] {
  if (content === null) return [];
  if (typeof content === 'string') return content ? [{ text: content }] : [];
  // Audio and file parts never reach here: parameter-support drops them for this route.
  return content.flatMap((part): ContentBlock[] => {
    if (part.type === 'text') return [{ text: part.text }, ...cachePointAfter(part.cache_control)];
    if (part.type === 'image_url') return [toImageBlock(part.image_url.url), ...cachePointAfter(part.cache_control)];
    if (part.type === 'file') return [...toDocumentBlock(part), ...cachePointAfter(part.cache_control)];
    return [];
  });
}

/** Converse names a document with letters, digits, spaces, hyphens, parentheses and brackets only. */
const documentName = (filename: string | undefined) =>
  (filename ?? 'document')
    .replace(/\.[a-z0-9]+$/i, '')
    .replace(/[^A-Za-z0-9 ()[\]-]/g, '-')
    .slice(0, 200) || 'document';

/** An inline PDF or text file as a Converse document (parameter-support drops other files here). */
function toDocumentBlock(part: FilePart): ContentBlock[] {
  const data = part.file.file_data ? parseDataUrl(part.file.file_data) : undefined;
  if (!data) return [];
  return [
    {
      document: {
        format: data.mediaType === 'text/plain' ? 'txt' : 'pdf',
        name: documentName(part.file.filename),
        source: { bytes: Buffer.from(data.base64, 'base64') },
      },
    },
  ];
}

/** Earlier reasoning of a Claude answer, sent back with its signature (or as the encrypted bytes). */
function toReasoningBlocks(message: ChatMessage): ContentBlock[] {
  return (message.thinking ?? []).map((block): ContentBlock =>
    block.type === 'thinking'
      ? {
          reasoningContent: {
            reasoningText: { text: block.thinking, ...(block.signature && { signature: block.signature }) },
          },
        }
      : { reasoningContent: { redactedContent: Buffer.from(block.data, 'base64') } },
  );
}

function toBedrockMessage(message: ChatMessage): Message {
  if (message.role === 'tool') {
    const attachments = Array.isArray(message.content)
      ? toContentBlocks(message.content.filter((part) => part.type === 'image_url' || part.type === 'file'))
      : [];
    const content = [
      { text: textOf(message.content) },
      ...(attachments.filter((block) => block.image || block.document) as Array<{ image: never }>),
    ];
    const toolResult = {
      toolUseId: message.tool_call_id ?? '',
      content,
      ...(message.is_error && { status: 'error' as const }),
    };
    return { role: 'user', content: [{ toolResult }, ...cachePointAfter(message.cache_control)] };
  }
  const content = [...toReasoningBlocks(message), ...toContentBlocks(message.content)];
  for (const call of message.tool_calls ?? []) {
    let input: unknown;
    try {
      input = JSON.parse(call.function.arguments || '{}');
    } catch {
      throw new ProviderCallError({
        type: 'InvalidRequest',
        message: `The arguments of the call to tool "${call.function.name}" are not valid JSON`,
      });
    }
    content.push({ toolUse: { toolUseId: call.id, name: call.function.name, input: input as never } });
  }
  if (message.tool_calls?.length) content.push(...cachePointAfter(message.cache_control));
  return { role: message.role === 'assistant' ? 'assistant' : 'user', content };
}

/** Converse wants user and assistant turns to alternate: consecutive same-role turns are merged. */
function mergeConsecutiveTurns(messages: Message[]): Message[] {
  const merged: Message[] = [];
  for (const message of messages) {
    const previous = merged.at(-1);
    if (previous && previous.role === message.role)
      previous.content = [...(previous.content ?? []), ...(message.content ?? [])];
    else merged.push({ role: message.role, content: [...(message.content ?? [])] });
  }
  return merged;
}

function toToolChoice(choice: ChatRequest['tool_choice']): ToolChoice | undefined {
  if (choice === undefined || choice === 'none' || choice === 'auto')
    return choice === 'auto' ? { auto: {} } : undefined;
  if (choice === 'required') return { any: {} };
  return { tool: { name: choice.function.name } };
}

/** The system prompt as text blocks, a cache point after each block that marks a breakpoint. */
function toSystem(request: ChatRequest): SystemContentBlock[] {
  const { system } = splitSystemParts(request.messages);
  const instruction = jsonModeInstruction(request.response_format);
  if (!system.some((part) => part.cache_control)) {
    const text = [system.map((part) => part.text).join('\n\n'), instruction].filter(Boolean).join('\n\n');
    return text ? [{ text }] : [];
  }
  return [
    ...system.flatMap((part): SystemContentBlock[] => [{ text: part.text }, ...cachePointAfter(part.cache_control)]),
    ...(instruction ? [{ text: instruction }] : []),
  ];
}

/**
 * Fields the model takes beyond Converse's own (additionalModelRequestFields): for Claude its
 * thinking, top_k, beta flags and the Anthropic fields parameter-support kept; for Nova top_k.
 */
function additionalFields(modelId: string, request: ChatRequest): Record<string, unknown> | undefined {
  if (isClaudeModel(modelId)) {
    const thinking = claudeThinking(request, request.max_tokens ?? 4096);
    const fields = {
      ...(thinking && { thinking }),
      ...(request.top_k !== undefined && { top_k: request.top_k }),
      ...(request.anthropic?.betas?.length && { anthropic_beta: request.anthropic.betas }),
      ...request.anthropic?.fields,
    };
    return Object.keys(fields).length > 0 ? fields : undefined;
  }
  return request.top_k !== undefined ? { inferenceConfig: { topK: request.top_k } } : undefined;
}

/** Request tags for Bedrock's invocation logs: the metadata, and the end user under `user`. */
function requestMetadata(request: ChatRequest): Record<string, string> | undefined {
  const tags = {
    ...request.metadata,
    ...(request.user !== undefined && { user: request.user }),
    ...(request.end_user !== undefined && { safety_identifier: request.end_user }),
  };
  return Object.keys(tags).length > 0 ? tags : undefined;
}

/** Canonical request → Bedrock Converse input (model ids and cross-Region inference profile ids alike). */
export function toConverseInput(modelId: string, request: ChatRequest): ConverseCommandInput {
  const { rest } = splitSystemParts(request.messages);
  const system = toSystem(request);
  const additionalModelRequestFields = additionalFields(modelId, request);
  const metadata = requestMetadata(request);
  const stopSequences =
    request.stop === undefined ? undefined : Array.isArray(request.stop) ? request.stop : [request.stop];
  const inferenceConfig = {
    ...(request.max_tokens !== undefined && { maxTokens: request.max_tokens }),
    ...(request.temperature !== undefined && { temperature: Math.min(request.temperature, 1) }),
    ...(request.top_p !== undefined && { topP: request.top_p }),
    ...(stopSequences && { stopSequences }),
  };
  const toolChoice = toToolChoice(request.tool_choice);
  return {
    modelId,
    messages: mergeConsecutiveTurns(rest.map(toBedrockMessage)),
    ...(system.length > 0 && { system }),
    ...(Object.keys(inferenceConfig).length > 0 && { inferenceConfig }),
    ...(additionalModelRequestFields && { additionalModelRequestFields: additionalModelRequestFields as never }),
    ...(metadata && { requestMetadata: metadata }),
    ...(request.tools && {
      toolConfig: {
        tools: request.tools.flatMap((tool): Tool[] => [
          {
            toolSpec: {
              name: tool.function.name,
              ...(tool.function.description && { description: tool.function.description }),
              inputSchema: { json: (tool.function.parameters ?? { type: 'object', properties: {} }) as never },
            },
          },
          ...cachePointAfter(tool.cache_control),
        ]),
        ...(toolChoice && { toolChoice }),
      },
    }),
  };
}
