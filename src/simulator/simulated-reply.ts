import { simulatedThinking } from './simulated-reasoning';

/** What the simulated model answers, decided from the conversation alone (deterministic). */
export interface SimulatedReply {
  text?: string;
  /** The model's reasoning before the answer, when the request turned thinking on. */
  reasoning?: string;
  /** The simulated model searched the web (Anthropic's web search server tool) for this query. */
  webSearch?: { query: string };
  /** Prompt tokens written to and read from the simulated prompt cache. */
  cache?: { write: number; read: number };
  toolCall?: { id: string; name: string; arguments: Record<string, unknown> };
  promptTokens: number;
  completionTokens: number;
}

export interface ConversationSummary {
  lastUserText: string;
  /** The text of the last tool result, when the conversation ends with one. */
  lastToolResult?: string;
  /** Tools offered, with the names of their required parameters. */
  tools: Array<{ name: string; required: string[] }>;
  /** A rough size of the whole request, for token counts. */
  requestChars: number;
  /** The request turned on thinking (Anthropic's `thinking`, Bedrock Claude's through additionalModelRequestFields). */
  thinking?: boolean;
  /** Thinking blocks of earlier answers sent back, to check their signatures. */
  thinkingSentBack?: Array<{ thinking: string; signature?: string }>;
  /** The request up to its last cache breakpoint, when it marks one. */
  cachedPrefix?: string;
  /** The request offers Anthropic's web search server tool. */
  webSearch?: boolean;
}

const approximateTokens = (characters: number) => Math.max(1, Math.ceil(characters / 4));

let callSequence = 0;

export function simulateReply(conversation: ConversationSummary): SimulatedReply {
  const reply = simulateAnswer(conversation);
  return conversation.thinking ? { ...reply, reasoning: simulatedThinking(conversation.lastUserText) } : reply;
}

function simulateAnswer(conversation: ConversationSummary): SimulatedReply {
  const promptTokens = approximateTokens(conversation.requestChars);
  if (conversation.webSearch) {
    const text = `Simulated search answer for: ${conversation.lastUserText.slice(0, 200)}`;
    return {
      text,
      webSearch: { query: conversation.lastUserText.slice(0, 200) },
      promptTokens,
      completionTokens: approximateTokens(text.length),
    };
  }
  const [tool] = conversation.tools;
  if (tool && conversation.lastToolResult === undefined) {
    const quoted = lastQuotedValue(conversation.lastUserText);
    const args = Object.fromEntries(
      tool.required.map((name, index) => [name, index === 0 && quoted !== undefined ? quoted : `sample ${name}`]),
    );
    callSequence += 1;
    return {
      toolCall: { id: `call_sim${callSequence}`, name: tool.name, arguments: args },
      promptTokens,
      completionTokens: approximateTokens(JSON.stringify(args).length + tool.name.length),
    };
  }
  const text =
    conversation.lastToolResult !== undefined
      ? `Simulated answer using the tool result: ${conversation.lastToolResult.slice(0, 200)}`
      : `Simulated reply to: ${conversation.lastUserText.slice(0, 200)}`;
  return { text, promptTokens, completionTokens: approximateTokens(text.length) };
}

/**
 * The last `backticked` value of the user's text: the simulated model passes it as the tool's first
 * required argument (so a prompt such as "run `echo hi`" gives Bash `{command: "echo hi"}`).
 */
function lastQuotedValue(text: string): string | undefined {
  return [...text.matchAll(/`([^`\n]+)`/g)].at(-1)?.[1];
}

/** Text of an OpenAI- or Anthropic-style content value (string or list of parts). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { type?: string; text?: string; content?: unknown }) => {
      if (typeof part?.text === 'string') return part.text;
      if (part?.type === 'tool_result') return contentText(part.content);
      return '';
    })
    .join('');
}

export function requiredParameters(schema: unknown): string[] {
  const required = (schema as { required?: unknown })?.required;
  return Array.isArray(required) ? required.filter((name): name is string => typeof name === 'string') : [];
}
