import type { ContentBlock, ConverseCommandInput, Message, ToolChoice } from '@aws-sdk/client-bedrock-runtime';
import { jsonModeInstruction, parseDataUrl, splitSystemPrompt, textOf, type ChatMessage, type ChatRequest, type ContentPart } from '../canonical-chat';
import { ProviderCallError } from '../provider-error';

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
    throw new ProviderCallError({ type: 'InvalidRequest', message: 'Bedrock routes accept images only as base64 data URLs of PNG, JPEG, GIF or WebP' });
  }
  return { image: { format, source: { bytes: Buffer.from(data.base64, 'base64') } } };
}

function toContentBlocks(content: string | ContentPart[] | null): ContentBlock[] {
  if (content === null) return [];
  if (typeof content === 'string') return content ? [{ text: content }] : [];
  return content.map((part) => (part.type === 'text' ? { text: part.text } : toImageBlock(part.image_url.url)));
}

function toBedrockMessage(message: ChatMessage): Message {
  if (message.role === 'tool') {
    return { role: 'user', content: [{ toolResult: { toolUseId: message.tool_call_id ?? '', content: [{ text: textOf(message.content) }] } }] };
  }
  const content = toContentBlocks(message.content);
  for (const call of message.tool_calls ?? []) {
    let input: unknown;
    try {
      input = JSON.parse(call.function.arguments || '{}');
    } catch {
      throw new ProviderCallError({ type: 'InvalidRequest', message: `The arguments of the call to tool "${call.function.name}" are not valid JSON` });
    }
    content.push({ toolUse: { toolUseId: call.id, name: call.function.name, input: input as never } });
  }
  return { role: message.role === 'assistant' ? 'assistant' : 'user', content };
}

/** Converse wants user and assistant turns to alternate: consecutive same-role turns are merged. */
function mergeConsecutiveTurns(messages: Message[]): Message[] {
  const merged: Message[] = [];
  for (const message of messages) {
    const previous = merged.at(-1);
    if (previous && previous.role === message.role) previous.content = [...(previous.content ?? []), ...(message.content ?? [])];
    else merged.push({ role: message.role, content: [...(message.content ?? [])] });
  }
  return merged;
}

function toToolChoice(choice: ChatRequest['tool_choice']): ToolChoice | undefined {
  if (choice === undefined || choice === 'none' || choice === 'auto') return choice === 'auto' ? { auto: {} } : undefined;
  if (choice === 'required') return { any: {} };
  return { tool: { name: choice.function.name } };
}

/** Canonical request → Bedrock Converse input (model ids and cross-Region inference profile ids alike). */
export function toConverseInput(modelId: string, request: ChatRequest): ConverseCommandInput {
  const { system, rest } = splitSystemPrompt(request.messages);
  const systemText = [system, jsonModeInstruction(request.response_format)].filter(Boolean).join('\n\n');
  const stopSequences = request.stop === undefined ? undefined : Array.isArray(request.stop) ? request.stop : [request.stop];
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
    ...(systemText && { system: [{ text: systemText }] }),
    ...(Object.keys(inferenceConfig).length > 0 && { inferenceConfig }),
    ...(request.tools && {
      toolConfig: {
        tools: request.tools.map((tool) => ({
          toolSpec: {
            name: tool.function.name,
            ...(tool.function.description && { description: tool.function.description }),
            inputSchema: { json: (tool.function.parameters ?? { type: 'object', properties: {} }) as never },
          },
        })),
        ...(toolChoice && { toolChoice }),
      },
    }),
  };
}
