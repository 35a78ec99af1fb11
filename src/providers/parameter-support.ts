import {
  isPortableFile,
  type ChatMessage,
  type ChatRequest,
  type ContentPart,
  type ReasoningEffort,
} from './canonical-chat';
import type { ProviderKind } from './provider-kind';
import { providerKindModule } from './provider-kinds';
import { thinkingBudget } from './reasoning-effort';

/** What a route does with a request: the request it can honour, and the fields it left out. */
export interface FittedRequest {
  request: ChatRequest;
  dropped: string[];
}

/**
 * An Anthropic client's `output_config` on a route that is not Anthropic: its effort becomes the
 * reasoning effort and its format the response format, where the request sets neither itself.
 */
function translateOutputConfig(request: ChatRequest): ChatRequest {
  const outputConfig = request.anthropic?.fields?.output_config as
    | { effort?: ReasoningEffort | null; format?: { type?: string; schema?: Record<string, unknown> } | null }
    | undefined;
  if (!outputConfig) return request;
  const { output_config: _used, ...fields } = request.anthropic?.fields ?? {};
  const format =
    outputConfig.format?.type === 'json_schema'
      ? { type: 'json_schema' as const, json_schema: { name: 'output', schema: outputConfig.format.schema } }
      : undefined;
  return {
    ...request,
    anthropic: { ...request.anthropic, fields },
    // Effort is what adaptive thinking spends; a budget the client set or thinking turned off wins.
    ...(outputConfig.effort &&
      request.reasoning_effort === undefined &&
      (request.thinking === undefined || request.thinking.type === 'adaptive') && {
        reasoning_effort: outputConfig.effort,
      }),
    ...(format && request.response_format === undefined && { response_format: format }),
  };
}

/** Parts only OpenAI-wire routes take: audio, and files that are not inline PDFs or text. */
const isOpenAIOnlyPart = (part: ContentPart) =>
  part.type === 'input_audio' || (part.type === 'file' && !isPortableFile(part));

/** Message parts only OpenAI-wire routes take, as `messages.content.<type>`. */
function openAIOnlyParts(messages: ChatMessage[]): string[] {
  const types = new Set<string>();
  for (const message of messages) {
    if (!Array.isArray(message.content)) continue;
    for (const part of message.content) if (isOpenAIOnlyPart(part)) types.add(`messages.content.${part.type}`);
  }
  return [...types];
}

function withoutOpenAIOnlyParts(messages: ChatMessage[]): ChatMessage[] {
  return messages.map((message) =>
    Array.isArray(message.content)
      ? { ...message, content: message.content.filter((part) => !isOpenAIOnlyPart(part)) }
      : message,
  );
}

/**
 * Fits a canonical request to one route: the fields the provider kind (and model) can honour stay,
 * translated by its adapter; the others are left out and named, with the names a client sent.
 * What each kind takes is its module's `chatParameters`. Streams carry one answer without log
 * probabilities, so `n` > 1 and `logprobs` are dropped there.
 */
export function fitRequestToRoute(
  kind: ProviderKind,
  model: string,
  original: ChatRequest,
  streaming: boolean,
): FittedRequest {
  const takes = providerKindModule(kind).chatParameters(model);
  const dropped: string[] = [];
  // A copy: the drops below never touch the caller's request.
  const request: ChatRequest = { ...(takes.outputConfig ? original : translateOutputConfig(original)) };
  const drop = (name: string, remove: () => void) => {
    dropped.push(name);
    remove();
  };

  // The Responses API's fields that no route can honour, and what the gateway keeps for itself.
  if (request.responses) {
    dropped.push(...(request.responses.unsupported ?? []));
    delete request.responses;
  }
  if (request.n !== undefined && request.n > 1 && (streaming || !takes.openAIWire)) drop('n', () => delete request.n);
  if (request.logprobs && (streaming || !takes.openAIWire)) drop('logprobs', () => delete request.logprobs);
  if (request.top_logprobs !== undefined && (streaming || !takes.openAIWire))
    drop('top_logprobs', () => delete request.top_logprobs);
  for (const field of ['seed', 'frequency_penalty', 'presence_penalty', 'logit_bias'] as const) {
    if (request[field] !== undefined && !takes.openAIWire) drop(field, () => delete request[field]);
  }
  if (request.top_k !== undefined && !takes.topK) drop('top_k', () => delete request.top_k);

  // Reasoning: OpenAI-wire routes take an effort, Claude a thinking budget; other models nothing.
  const reasons =
    request.thinking !== undefined && request.thinking.type !== 'disabled'
      ? 'thinking'
      : request.reasoning_effort !== undefined && request.reasoning_effort !== 'none'
        ? 'reasoning_effort'
        : undefined;
  if (reasons && takes.reasoning === 'none') {
    drop(reasons, () => {
      delete request.thinking;
      delete request.reasoning_effort;
    });
  } else if (
    reasons === 'reasoning_effort' &&
    takes.reasoning === 'thinking-budget' &&
    thinkingBudget(request.reasoning_effort!, request.max_tokens ?? 4096) === undefined
  ) {
    drop('reasoning_effort', () => delete request.reasoning_effort);
  }

  if (request.parallel_tool_calls === false && !takes.parallelToolCallsOff)
    drop('parallel_tool_calls', () => delete request.parallel_tool_calls);
  if (request.metadata !== undefined && !takes.metadata) drop('metadata', () => delete request.metadata);
  if (request.end_user !== undefined && !takes.endUser) drop('safety_identifier', () => delete request.end_user);
  if (request.custom_tools && !takes.openAIExtensions) drop('tools.custom', () => delete request.custom_tools);
  if (request.openai && !takes.openAIExtensions) {
    for (const field of Object.keys(request.openai)) dropped.push(field);
    delete request.openai;
  }
  if (!takes.openAIWire) {
    const parts = openAIOnlyParts(request.messages);
    if (parts.length > 0) drop(parts.join(', '), () => (request.messages = withoutOpenAIOnlyParts(request.messages)));
  }

  // Anthropic's own fields and beta flags: Anthropic takes them all, Claude on Bedrock some.
  const anthropic = request.anthropic;
  const kept = takes.anthropicFields;
  if (anthropic?.serverTools && kept !== 'all') {
    const names = new Set(anthropic.serverTools.map((tool) => tool.name));
    dropped.push(...anthropic.serverTools.map((tool) => `tools.${tool.type}`));
    const choice = request.tool_choice;
    if (typeof choice === 'object' && names.has(choice.function.name))
      drop('tool_choice', () => delete request.tool_choice);
  }
  if (anthropic && kept !== 'all') {
    const fields = Object.fromEntries(Object.entries(anthropic.fields ?? {}).filter(([field]) => kept.includes(field)));
    dropped.push(...Object.keys(anthropic.fields ?? {}).filter((field) => !kept.includes(field)));
    const keepBetas = takes.anthropicBetas && (anthropic.betas?.length ?? 0) > 0;
    if ((anthropic.betas?.length ?? 0) > 0 && !keepBetas) dropped.push('anthropic-beta');
    request.anthropic = {
      ...(keepBetas && { betas: anthropic.betas }),
      ...(Object.keys(fields).length > 0 && { fields }),
    };
    if (Object.keys(request.anthropic).length === 0) delete request.anthropic;
  }
  return { request, dropped };
}
