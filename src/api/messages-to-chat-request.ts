import type { ChatMessage, ChatRequest, ContentPart, ToolChoice } from '../providers/canonical-chat';
import type { MessagesBody, MessagesBodyMessage } from './messages-schema';

type Block = Exclude<MessagesBodyMessage['content'], string>[number];
type ImageBlock = Extract<Block, { type: 'image' }>;

function imageUrl(block: ImageBlock): string {
  return block.source.type === 'base64' ? `data:${block.source.media_type};base64,${block.source.data}` : block.source.url;
}

function toParts(blocks: Block[]): ContentPart[] {
  return blocks.flatMap((block): ContentPart[] => {
    if (block.type === 'text') return [{ type: 'text', text: block.text }];
    if (block.type === 'image') return [{ type: 'image_url', image_url: { url: imageUrl(block) } }];
    return [];
  });
}

function textOfBlocks(content: string | Block[]): string {
  if (typeof content === 'string') return content;
  return content.map((block) => (block.type === 'text' ? block.text : '')).join('');
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
    // The canonical tool message holds text; images inside a tool result are not carried.
    const result = block.content === undefined ? '' : textOfBlocks(block.content as string | Block[]);
    messages.push({ role: 'tool', tool_call_id: block.tool_use_id, content: result });
  }
  flush();
  return messages;
}

function fromAssistantTurn(content: string | Block[]): ChatMessage {
  if (typeof content === 'string') return { role: 'assistant', content };
  const text = textOfBlocks(content);
  const toolCalls = content.flatMap((block) =>
    block.type === 'tool_use' ? [{ id: block.id, type: 'function' as const, function: { name: block.name, arguments: JSON.stringify(block.input) } }] : [],
  );
  return { role: 'assistant', content: text || (toolCalls.length > 0 ? null : ''), ...(toolCalls.length > 0 && { tool_calls: toolCalls }) };
}

function toToolChoice(choice: MessagesBody['tool_choice']): ToolChoice | undefined {
  if (!choice) return undefined;
  if (choice.type === 'auto') return 'auto';
  if (choice.type === 'none') return 'none';
  if (choice.type === 'any') return 'required';
  return { type: 'function', function: { name: choice.name } };
}

/** Anthropic Messages body → the canonical request every provider adapter translates from. */
export function messagesToChatRequest(body: MessagesBody): ChatRequest {
  const messages: ChatMessage[] = [];
  if (body.system !== undefined) messages.push({ role: 'system', content: textOfBlocks(body.system) });
  for (const message of body.messages) {
    if (message.role === 'system') messages.push({ role: 'system', content: textOfBlocks(message.content) });
    else if (message.role === 'user') messages.push(...fromUserTurn(message.content));
    else messages.push(fromAssistantTurn(message.content));
  }
  return {
    messages,
    tools: body.tools?.map((tool) => ({
      type: 'function' as const,
      function: { name: tool.name, ...(tool.description !== undefined && { description: tool.description }), parameters: tool.input_schema },
    })),
    tool_choice: toToolChoice(body.tool_choice),
    temperature: body.temperature,
    top_p: body.top_p,
    max_tokens: body.max_tokens,
    stop: body.stop_sequences,
    user: body.metadata?.user_id ?? undefined,
  };
}
