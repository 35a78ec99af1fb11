import type {
  AnthropicServerTool,
  CacheControl,
  ChatMessage,
  ChatRequest,
  ContentPart,
  TextPart,
  ThinkingBlock,
  ToolChoice,
} from '../../providers/canonical-chat';
import { anthropicOnlyFieldSchemas, type MessagesBody, type MessagesBodyMessage } from './messages-schema';

type Block = Exclude<MessagesBodyMessage['content'], string>[number];
type ImageBlock = Extract<Block, { type: 'image' }>;
type TextBlock = Extract<Block, { type: 'text' }>;
type ClientTool = Extract<NonNullable<MessagesBody['tools']>[number], { input_schema: unknown }>;

const cache = (control: CacheControl | null | undefined) => (control ? { cache_control: control } : {});

function imageUrl(block: ImageBlock): string {
  return block.source.type === 'base64'
    ? `data:${block.source.media_type};base64,${block.source.data}`
    : block.source.url;
}

function toParts(blocks: Block[]): ContentPart[] {
  return blocks.flatMap((block): ContentPart[] => {
    if (block.type === 'text') return [{ type: 'text', text: block.text, ...cache(block.cache_control) }];
    if (block.type === 'image')
      return [{ type: 'image_url', image_url: { url: imageUrl(block) }, ...cache(block.cache_control) }];
    if (block.type === 'document') {
      const { source } = block;
      const data = source.type === 'text' ? Buffer.from(source.data, 'utf8').toString('base64') : source.data;
      return [
        {
          type: 'file',
          file: {
            ...(block.title && { filename: block.title }),
            file_data: `data:${source.media_type};base64,${data}`,
          },
          ...cache(block.cache_control),
        },
      ];
    }
    return [];
  });
}

function textOfBlocks(content: string | Block[]): string {
  if (typeof content === 'string') return content;
  return content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

/** A system prompt: one text, or its blocks when one marks a cache breakpoint. */
function systemMessage(content: string | TextBlock[]): ChatMessage {
  if (typeof content === 'string' || !content.some((block) => block.cache_control))
    return { role: 'system', content: textOfBlocks(content) };
  return {
    role: 'system',
    content: content.map((block): TextPart => ({ type: 'text', text: block.text, ...cache(block.cache_control) })),
  };
}

/** A user turn: each tool_result becomes a `tool` message, other blocks a user message, in order. */
function fromUserTurn(content: string | Block[]): ChatMessage[] {
  if (typeof content === 'string') return [{ role: 'user', content }];
  const messages: ChatMessage[] = [];
  let pending: Block[] = [];
  const flush = () => {
    if (pending.length > 0) messages.push({ role: 'user', content: toParts(pending) });
    pending = [];
  };
  for (const block of content) {
    if (block.type !== 'tool_result') {
      pending.push(block);
      continue;
    }
    flush();
    // A result with images or documents keeps its parts; each adapter places them where its provider takes them.
    const blocks = block.content;
    const result =
      blocks === undefined
        ? ''
        : typeof blocks === 'string' || blocks.every((part) => part.type === 'text')
          ? textOfBlocks(blocks as string | Block[])
          : toParts(blocks as Block[]);
    messages.push({
      role: 'tool',
      tool_call_id: block.tool_use_id,
      content: result,
      ...(block.is_error && { is_error: true }),
      ...cache(block.cache_control),
    });
  }
  flush();
  return messages;
}

function fromAssistantTurn(content: string | Block[]): ChatMessage {
  if (typeof content === 'string') return { role: 'assistant', content };
  const text = textOfBlocks(content);
  const toolUses = content.filter((block) => block.type === 'tool_use');
  const toolCalls = toolUses.map((block) => ({
    id: block.id,
    type: 'function' as const,
    function: { name: block.name, arguments: JSON.stringify(block.input) },
  }));
  const thinking = content.flatMap((block): ThinkingBlock[] => {
    if (block.type === 'thinking') return [{ type: 'thinking', thinking: block.thinking, signature: block.signature }];
    if (block.type === 'redacted_thinking') return [{ type: 'redacted_thinking', data: block.data }];
    return [];
  });
  return {
    role: 'assistant',
    content: text || (toolCalls.length > 0 ? null : ''),
    ...(toolCalls.length > 0 && { tool_calls: toolCalls }),
    ...(thinking.length > 0 && { thinking }),
    ...cache(toolUses.at(-1)?.cache_control),
  };
}

function toToolChoice(choice: MessagesBody['tool_choice']): ToolChoice | undefined {
  if (!choice) return undefined;
  if (choice.type === 'auto') return 'auto';
  if (choice.type === 'none') return 'none';
  if (choice.type === 'any') return 'required';
  return { type: 'function', function: { name: choice.name } };
}

/** The `anthropic-beta` header's flags (comma-separated, possibly repeated). */
export function anthropicBetas(header: string | string[] | undefined): string[] {
  const values = Array.isArray(header) ? header : header ? [header] : [];
  return values
    .flatMap((value) => value.split(','))
    .map((flag) => flag.trim())
    .filter(Boolean);
}

/** The Anthropic-only fields the client set, with their values, to forward as they came. */
function anthropicFields(body: Omit<MessagesBody, 'max_tokens' | 'stream'>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(anthropicOnlyFieldSchemas).flatMap((field) => {
      const value = (body as Record<string, unknown>)[field];
      return value === undefined || value === null ? [] : [[field, value]];
    }),
  );
}

export interface MessagesRequestOptions {
  /** The `anthropic-beta` flags the client sent. */
  betas?: string[];
  /** The model group's `unsupportedParameters` policy. */
  policy?: 'drop' | 'reject';
}

/** Anthropic Messages body → the canonical request every provider adapter translates from. */
export function messagesToChatRequest(
  body: Omit<MessagesBody, 'max_tokens' | 'stream'> & { max_tokens?: number },
  { betas = [], policy = 'drop' }: MessagesRequestOptions = {},
): ChatRequest {
  const messages: ChatMessage[] = [];
  if (body.system !== undefined) messages.push(systemMessage(body.system));
  for (const message of body.messages) {
    if (message.role === 'system') messages.push(systemMessage(message.content));
    else if (message.role === 'user') messages.push(...fromUserTurn(message.content));
    else messages.push(fromAssistantTurn(message.content));
  }
  const fields = anthropicFields(body);
  const parallel =
    body.tool_choice &&
    'disable_parallel_tool_use' in body.tool_choice &&
    body.tool_choice.disable_parallel_tool_use === true;
  const thinking = body.thinking && {
    ...body.thinking,
    ...('display' in body.thinking && { display: body.thinking.display ?? undefined }),
  };
  const clientTools = (body.tools ?? []).filter((tool): tool is ClientTool => 'input_schema' in tool);
  const serverTools = (body.tools ?? []).filter((tool) => !('input_schema' in tool)) as AnthropicServerTool[];
  const anthropic = {
    ...(betas.length > 0 && { betas }),
    ...(Object.keys(fields).length > 0 && { fields }),
    ...(serverTools.length > 0 && { serverTools }),
  };
  return {
    messages,
    tools:
      clientTools.length === 0
        ? undefined
        : clientTools.map((tool) => ({
            type: 'function' as const,
            function: {
              name: tool.name,
              ...(tool.description !== undefined && { description: tool.description }),
              parameters: tool.input_schema,
              ...(tool.strict && { strict: true }),
            },
            ...cache(tool.cache_control),
          })),
    tool_choice: toToolChoice(body.tool_choice),
    temperature: body.temperature,
    top_p: body.top_p,
    max_tokens: body.max_tokens,
    stop: body.stop_sequences,
    user: body.metadata?.user_id ?? undefined,
    ...(body.top_k !== undefined && { top_k: body.top_k }),
    ...(parallel && { parallel_tool_calls: false }),
    ...(thinking && { thinking: JSON.parse(JSON.stringify(thinking)) as NonNullable<ChatRequest['thinking']> }),
    ...(Object.keys(anthropic).length > 0 && { anthropic }),
    ...(policy === 'reject' && { unsupported_parameters: 'reject' as const }),
  };
}
