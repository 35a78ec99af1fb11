import type {
  CacheControl,
  ChatMessage,
  ChatRequest,
  ContentPart,
  ThinkingBlock,
  ToolCall,
  ToolChoice,
  ToolDefinition,
} from '../../providers/canonical-chat';
import { decodeReasoning } from './responses-reasoning';
import type { ResponsesInputItem, ResponsesInputPart } from './responses-input-schema';
import type { ResponsesBody } from './responses-schema';

/** `null` in the body means "not set". */
const present = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);

const ephemeral: CacheControl = { type: 'ephemeral' };

/** What earlier responses the request refers to hold, read back by the API (see previous-response.ts). */
export interface EarlierItems {
  /** The conversation of `previous_response_id`: its input (without instructions) and its answer. */
  conversation: ChatMessage[];
  /** Items named by `item_reference`, by id. */
  items: Map<string, ChatMessage>;
}

/** Fields of the Responses API that OpenAI's Responses service itself keeps, which reach OpenAI routes as they came. */
const openAIOnlyFields = [
  'service_tier',
  'prompt_cache_key',
  'prompt_cache_retention',
  'prompt_cache_options',
  'moderation',
] as const;

/** The include values the gateway honours: log probabilities on output text, and reasoning to send back. */
export const logprobsInclude = 'message.output_text.logprobs';
export const encryptedReasoningInclude = 'reasoning.encrypted_content';

function toPart(part: ResponsesInputPart, unsupported: Set<string>): ContentPart[] {
  const cache = 'prompt_cache_breakpoint' in part && part.prompt_cache_breakpoint ? { cache_control: ephemeral } : {};
  switch (part.type) {
    case 'input_text':
      return [{ type: 'text', text: part.text, ...cache }];
    case 'output_text':
      return [{ type: 'text', text: part.text }];
    case 'refusal':
      return [{ type: 'text', text: part.refusal }];
    case 'input_image': {
      const detail = part.detail === 'original' ? 'high' : part.detail;
      if (part.image_url)
        return [{ type: 'image_url', image_url: { url: part.image_url, ...(detail && { detail }) }, ...cache }];
      if (part.file_id) return [{ type: 'file', file: { file_id: part.file_id }, ...cache }];
      return [];
    }
    case 'input_file':
      if (part.file_url && !part.file_data && !part.file_id) {
        unsupported.add('input.content.input_file.file_url');
        return [];
      }
      return [
        {
          type: 'file',
          file: {
            ...(part.filename && { filename: part.filename }),
            ...(part.file_data && { file_data: part.file_data }),
            ...(part.file_id && { file_id: part.file_id }),
          },
          ...cache,
        },
      ];
  }
}

function toContent(content: string | ResponsesInputPart[], unsupported: Set<string>): string | ContentPart[] {
  return typeof content === 'string' ? content : content.flatMap((part) => toPart(part, unsupported));
}

/** The conversation being built, and reasoning that waits for the assistant turn it came before. */
interface Turns {
  messages: ChatMessage[];
  thinking?: ThinkingBlock[];
}

/** Starts an assistant turn, with the reasoning items that came before it. */
function pushAssistant(turns: Turns, message: ChatMessage): void {
  turns.messages.push({ ...message, ...(turns.thinking && { thinking: turns.thinking }) });
  turns.thinking = undefined;
}

/** Appends a tool call to the assistant turn it belongs to: the last message when it is the assistant's. */
function addToolCall(turns: Turns, call: ToolCall): void {
  const last = turns.messages.at(-1);
  if (last?.role === 'assistant' && !turns.thinking) last.tool_calls = [...(last.tool_calls ?? []), call];
  else pushAssistant(turns, { role: 'assistant', content: null, tool_calls: [call] });
}

/** Keeps the reasoning a provider takes back: signed or redacted blocks (an OpenAI-wire route's reasoning text has no signature). */
function addReasoning(turns: Turns, blocks: ThinkingBlock[]): void {
  const kept = blocks.filter((block) => block.type === 'redacted_thinking' || block.signature);
  if (kept.length > 0) turns.thinking = [...(turns.thinking ?? []), ...kept];
}

function addItem(turns: Turns, item: ResponsesInputItem, earlier: EarlierItems, unsupported: Set<string>): void {
  if (item.type === undefined || item.type === 'message') {
    const { role, content } = item as Extract<ResponsesInputItem, { role: string }>;
    // OpenAI's "developer" role means what "system" means to every provider.
    if (role === 'assistant') pushAssistant(turns, { role, content: toContent(content, unsupported) });
    else
      turns.messages.push({ role: role === 'developer' ? 'system' : role, content: toContent(content, unsupported) });
    return;
  }
  switch (item.type) {
    case 'function_call':
      addToolCall(turns, {
        id: item.call_id,
        type: 'function',
        function: { name: item.name, arguments: item.arguments },
      });
      return;
    case 'function_call_output':
      turns.messages.push({ role: 'tool', tool_call_id: item.call_id, content: toContent(item.output, unsupported) });
      return;
    case 'item_reference': {
      const referenced = structuredClone(earlier.items.get(item.id)!);
      if (referenced.thinking) addReasoning(turns, referenced.thinking);
      else if (referenced.content === null) for (const call of referenced.tool_calls ?? []) addToolCall(turns, call);
      else pushAssistant(turns, referenced);
      return;
    }
    case 'reasoning': {
      // The gateway's own encrypted_content holds the blocks and signatures; any other reasoning cannot be sent back.
      const blocks = decodeReasoning(item.encrypted_content);
      if (blocks) addReasoning(turns, blocks);
      else unsupported.add('input.reasoning');
      return;
    }
    default:
      unsupported.add(`input.${item.type}`);
  }
}

function toTools(body: ResponsesBody, unsupported: Set<string>): Pick<ChatRequest, 'tools' | 'custom_tools'> {
  const tools: ToolDefinition[] = [];
  const custom: NonNullable<ChatRequest['custom_tools']> = [];
  for (const tool of body.tools ?? []) {
    if (tool.type === 'function') {
      const { name, description, parameters, strict } = tool as Extract<
        typeof tool,
        { name: string; parameters?: unknown }
      >;
      tools.push({
        type: 'function',
        function: {
          name,
          ...(description && { description }),
          parameters: parameters ?? { type: 'object', properties: {} },
          ...(strict && { strict: true }),
        },
      });
    } else if (tool.type === 'custom') {
      const { name, description, format } = tool as Extract<typeof tool, { type: 'custom' }>;
      custom.push({ type: 'custom', custom: { name, ...(description && { description }), ...(format && { format }) } });
    } else unsupported.add(`tools.${tool.type}`);
  }
  return { ...(tools.length > 0 && { tools }), ...(custom.length > 0 && { custom_tools: custom }) };
}

/** The tool choice in canonical terms; `allowed_tools` narrows the tools offered instead. */
function toToolChoice(
  body: ResponsesBody,
  tools: ToolDefinition[] | undefined,
  unsupported: Set<string>,
): { tool_choice?: ToolChoice; tools?: ToolDefinition[] } {
  const choice = body.tool_choice;
  if (choice === undefined) return { tools };
  if (typeof choice === 'string') return { tools, tool_choice: choice };
  switch (choice.type) {
    case 'function':
      return { tools, tool_choice: { type: 'function', function: { name: (choice as { name: string }).name } } };
    case 'custom':
      return { tools, tool_choice: 'required' };
    case 'allowed_tools': {
      const allowed = new Set((choice as { tools: Array<Record<string, unknown>> }).tools.map((tool) => tool.name));
      return {
        tools: tools?.filter((tool) => allowed.has(tool.function.name)),
        tool_choice: (choice as { mode: 'auto' | 'required' }).mode,
      };
    }
    default:
      unsupported.add('tool_choice');
      return { tools };
  }
}

/** The fields no route can honour through the gateway (OpenAI's Responses service keeps them), by name. */
function serviceOnlyFields(body: ResponsesBody, unsupported: Set<string>): void {
  if (body.background) unsupported.add('background');
  if (present(body.max_tool_calls) !== undefined) unsupported.add('max_tool_calls');
  if (body.truncation === 'auto') unsupported.add('truncation');
  if (present(body.prompt)) unsupported.add('prompt');
  if (present(body.context_management)) unsupported.add('context_management');
  for (const value of body.include ?? [])
    if (value !== logprobsInclude && value !== encryptedReasoningInclude) unsupported.add(`include.${value}`);
}

/**
 * OpenAI's Responses body → the canonical request every provider adapter translates from, and the
 * fields no route can honour (left out and named under the `drop` policy, refused under `reject`).
 */
export function responsesToChatRequest(
  body: ResponsesBody,
  earlier: EarlierItems,
  policy: 'drop' | 'reject' = 'drop',
): { request: ChatRequest; unsupported: string[] } {
  const unsupported = new Set<string>();
  const instructions = present(body.instructions);
  const turns: Turns = {
    messages: [
      ...(instructions ? [{ role: 'system' as const, content: instructions }] : []),
      ...structuredClone(earlier.conversation),
    ],
  };
  const input = body.input ?? [];
  if (typeof input === 'string') turns.messages.push({ role: 'user', content: input });
  else for (const item of input) addItem(turns, item, earlier, unsupported);
  const { messages } = turns;

  const { tools: offered, custom_tools } = toTools(body, unsupported);
  const { tools, tool_choice } = toToolChoice(body, offered, unsupported);
  serviceOnlyFields(body, unsupported);
  const format = body.text?.format;
  const openai = Object.fromEntries([
    ...openAIOnlyFields.flatMap((field) => (present(body[field]) === undefined ? [] : [[field, body[field]]])),
    ...(present(body.text?.verbosity) ? [['verbosity', body.text!.verbosity]] : []),
  ]);
  const logprobs = body.include?.includes(logprobsInclude) ? true : undefined;
  const optional = {
    temperature: present(body.temperature),
    top_p: present(body.top_p),
    max_tokens: present(body.max_output_tokens),
    user: body.user,
    logprobs,
    top_logprobs: logprobs ? present(body.top_logprobs) : undefined,
    reasoning_effort: present(body.reasoning?.effort),
    parallel_tool_calls: present(body.parallel_tool_calls),
    metadata: present(body.metadata),
    end_user: present(body.safety_identifier),
  };
  const request: ChatRequest = {
    messages,
    ...(tools && tools.length > 0 && { tools }),
    ...(tool_choice && { tool_choice }),
    ...(format &&
      format.type !== 'text' && {
        response_format:
          format.type === 'json_schema'
            ? {
                type: 'json_schema',
                json_schema: {
                  name: format.name,
                  schema: format.schema,
                  ...(format.strict != null && { strict: format.strict }),
                },
              }
            : { type: 'json_object' },
      }),
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    ...(custom_tools && { custom_tools }),
    ...(Object.keys(openai).length > 0 && { openai }),
    ...((unsupported.size > 0 || body.store === false) && {
      responses: {
        ...(unsupported.size > 0 && { unsupported: [...unsupported] }),
        ...(body.store === false && { store: false as const }),
      },
    }),
    ...(policy === 'reject' && { unsupported_parameters: 'reject' as const }),
  };
  return { request, unsupported: [...unsupported] };
}
