import type { GatewayConfig } from '../../config/gateway-config-schema';
import type {
  CacheControl,
  ChatMessage,
  ChatRequest,
  ContentPart,
  ToolCall,
  ToolChoice,
  ToolDefinition,
} from '../../providers/canonical-chat';
import { openAIOnlyFields, type ChatCompletionBody } from './chat-completion-schema';

type BodyMessage = ChatCompletionBody['messages'][number];
type BodyPart =
  Exclude<Extract<BodyMessage, { role: 'user' }>['content'], string>[number] | { type: 'refusal'; refusal: string };

/** `null` in the body means "not set". */
const present = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);

const ephemeral: CacheControl = { type: 'ephemeral' };

/** A content part in canonical terms: an explicit prompt-cache breakpoint becomes a cache breakpoint. */
function toPart(part: BodyPart): ContentPart {
  if (part.type === 'refusal') return { type: 'text', text: part.refusal };
  const { prompt_cache_breakpoint: breakpoint, ...rest } = part;
  return { ...rest, ...(breakpoint && { cache_control: ephemeral }) } as ContentPart;
}

function toContent(content: string | BodyPart[] | null | undefined): ChatMessage['content'] {
  if (content === null || content === undefined) return null;
  return typeof content === 'string' ? content : content.map(toPart);
}

/** A deprecated function call's id: the function's name is all that ties a result to its call. */
const functionCallId = (name: string) => `call_${name}`;

function toAssistantMessage(message: Extract<BodyMessage, { role: 'assistant' }>): ChatMessage {
  // A custom tool's input is free text: it travels as a JSON object's `input`, which every route can carry.
  const calls: ToolCall[] = (message.tool_calls ?? []).map((call) =>
    call.type === 'function'
      ? call
      : {
          id: call.id,
          type: 'function',
          function: { name: call.custom.name, arguments: JSON.stringify({ input: call.custom.input }) },
        },
  );
  if (message.function_call)
    calls.push({ id: functionCallId(message.function_call.name), type: 'function', function: message.function_call });
  return {
    role: 'assistant',
    content: toContent(message.content),
    ...(message.name && { name: message.name }),
    ...(calls.length > 0 && { tool_calls: calls }),
  };
}

function toMessage(message: BodyMessage): ChatMessage {
  switch (message.role) {
    case 'assistant':
      return toAssistantMessage(message);
    case 'function':
      return { role: 'tool', tool_call_id: functionCallId(message.name), content: message.content ?? '' };
    case 'tool':
      return { role: 'tool', tool_call_id: message.tool_call_id, content: toContent(message.content) };
    default:
      // OpenAI's newer "developer" role means what "system" means to every provider.
      return {
        role: message.role === 'developer' ? 'system' : message.role,
        content: toContent(message.content),
        ...(message.name && { name: message.name }),
      };
  }
}

function toTools(body: ChatCompletionBody): {
  tools?: ToolDefinition[];
  custom?: NonNullable<ChatRequest['custom_tools']>;
} {
  const functions = (body.tools ?? []).flatMap((tool): ToolDefinition[] =>
    tool.type === 'function'
      ? [
          {
            type: 'function',
            function: {
              name: tool.function.name,
              description: tool.function.description,
              parameters: tool.function.parameters,
              ...(tool.function.strict && { strict: true }),
            },
          },
        ]
      : [],
  );
  for (const legacy of body.functions ?? []) functions.push({ type: 'function', function: legacy });
  const custom = (body.tools ?? []).flatMap((tool) => (tool.type === 'custom' ? [tool] : []));
  return { ...(functions.length > 0 && { tools: functions }), ...(custom.length > 0 && { custom }) };
}

/** The tool choice in canonical terms; `allowed_tools` narrows the tools offered instead. */
function toToolChoice(
  body: ChatCompletionBody,
  tools: ToolDefinition[] | undefined,
): { choice?: ToolChoice; tools?: ToolDefinition[] } {
  const choice = body.tool_choice;
  if (choice === undefined) {
    const legacy = body.function_call;
    if (legacy === undefined) return { tools };
    return {
      tools,
      choice: typeof legacy === 'string' ? legacy : { type: 'function', function: { name: legacy.name } },
    };
  }
  if (typeof choice === 'string' || choice.type === 'function') return { tools, choice };
  if (choice.type === 'custom') return { tools, choice: 'required' };
  const allowed = new Set(
    choice.allowed_tools.tools.map((tool) => (tool.function as { name?: string } | undefined)?.name ?? tool.name),
  );
  return { tools: tools?.filter((tool) => allowed.has(tool.function.name)), choice: choice.allowed_tools.mode };
}

/** OpenAI's chat-completions body → the canonical request every provider adapter translates from. */
export function chatCompletionToChatRequest(body: ChatCompletionBody, policy: 'drop' | 'reject' = 'drop'): ChatRequest {
  const { tools: offered, custom } = toTools(body);
  const { tools, choice } = toToolChoice(body, offered);
  const openai = Object.fromEntries(
    openAIOnlyFields.flatMap((field) => (present(body[field]) === undefined ? [] : [[field, body[field]]])),
  );
  const maxTokens = present(body.max_completion_tokens) ?? present(body.max_tokens);
  const optional = {
    temperature: present(body.temperature),
    top_p: present(body.top_p),
    max_tokens: maxTokens,
    stop: present(body.stop),
    user: body.user,
    n: present(body.n),
    seed: present(body.seed),
    frequency_penalty: present(body.frequency_penalty),
    presence_penalty: present(body.presence_penalty),
    logprobs: present(body.logprobs),
    top_logprobs: present(body.top_logprobs),
    logit_bias: present(body.logit_bias),
    reasoning_effort: present(body.reasoning_effort),
    parallel_tool_calls: body.parallel_tool_calls,
    metadata: present(body.metadata),
    end_user: present(body.safety_identifier),
  };
  return {
    messages: body.messages.map(toMessage),
    ...(tools && { tools }),
    ...(choice && { tool_choice: choice }),
    ...(body.response_format && { response_format: body.response_format }),
    // Only the fields the client set: an input is exactly what it was before these fields existed.
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== undefined)),
    ...(custom && { custom_tools: custom }),
    ...(Object.keys(openai).length > 0 && { openai }),
    ...(policy === 'reject' && { unsupported_parameters: 'reject' as const }),
  };
}

/** The model group's `unsupportedParameters` policy (`drop` for a group the config does not have). */
export function unsupportedParametersPolicy(config: GatewayConfig, modelGroup: string): 'drop' | 'reject' {
  return config.modelGroups.find((group) => group.name === modelGroup)?.unsupportedParameters ?? 'drop';
}
