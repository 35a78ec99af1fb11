import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';

export type RequestKind = 'chat' | 'chat-stream' | 'messages' | 'messages-stream';
export const requestKinds: RequestKind[] = ['chat', 'chat-stream', 'messages', 'messages-stream'];
export const loadTrafficClasses = ['standard', 'standard', 'critical', 'background'] as const;

/** What one send of a request got: an HTTP status and error code, or the network error instead. */
export interface SendOutcome {
  api: number;
  status?: number;
  /** The gateway's error code (HTTP error body or in-stream error event). */
  code?: string;
  /** The connection failed or broke before a whole answer arrived. */
  network?: string;
  inferenceId?: string;
  content?: string;
  /** When the send ended (epoch milliseconds). */
  at: number;
}

/** One request a client wants answered, with every send it took (the first and each re-send). */
export interface LogicalRequest {
  key: string;
  marker: string;
  prompt: string;
  kind: RequestKind;
  trafficClass: string;
  sends: SendOutcome[];
  /** The send that ended it: a whole answer, or an error the client does not re-send. */
  final?: SendOutcome;
}

export interface ClientOptions {
  apiUrls: string[];
  gatewayKey: string;
  /** A request still unanswered this long after its first send is given up. */
  giveUpAfterMs: number;
}

function requestBody(request: LogicalRequest): { path: string; body: Record<string, unknown> } {
  const stream = request.kind.endsWith('-stream');
  const messages = [{ role: 'user', content: request.prompt }];
  return request.kind.startsWith('chat')
    ? { path: '/v1/chat/completions', body: { model: 'chat-default', messages, ...(stream && { stream: true }) } }
    : {
        path: '/v1/messages',
        body: { model: 'chat-default', max_tokens: 128, messages, ...(stream && { stream: true }) },
      };
}

/** The answer's text from a whole (non-streamed) body, OpenAI's or Anthropic's shape. */
function wholeContent(kind: RequestKind, body: unknown): string | undefined {
  if (kind === 'chat')
    return (body as { choices?: Array<{ message?: { content?: string } }> }).choices?.[0]?.message?.content;
  return (body as { content?: Array<{ text?: string }> }).content?.map((block) => block.text ?? '').join('');
}

/** Reads a server-sent-event body: the text it streamed, whether it ended properly, and an error event's code. */
function streamedContent(kind: RequestKind, text: string): { content: string; complete: boolean; code?: string } {
  let content = '';
  let complete = false;
  let code: string | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (data === '[DONE]') {
      complete = true;
      continue;
    }
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(data) as Record<string, unknown>;
    } catch {
      continue;
    }
    const error = event.error as { code?: string; type?: string } | undefined;
    if (error) code = error.code ?? error.type ?? 'stream_error';
    if (kind === 'chat-stream') {
      content += (event.choices as Array<{ delta?: { content?: string } }> | undefined)?.[0]?.delta?.content ?? '';
    } else if (event.type === 'content_block_delta') {
      content += (event.delta as { text?: string } | undefined)?.text ?? '';
    } else if (event.type === 'message_stop') {
      complete = true;
    }
  }
  return { content, complete: complete && code === undefined, ...(code && { code }) };
}

async function sendOnce(
  request: LogicalRequest,
  api: number,
  options: ClientOptions,
): Promise<Omit<SendOutcome, 'at'>> {
  const { path, body } = requestBody(request);
  try {
    const response = await fetch(`${options.apiUrls[api]}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.gatewayKey}`,
        'content-type': 'application/json',
        'idempotency-key': request.key,
        'x-traffic-class': request.trafficClass,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.giveUpAfterMs),
    });
    const inferenceId = response.headers.get('x-gateway-inference-id') ?? undefined;
    const text = await response.text();
    const base = { api, status: response.status, ...(inferenceId && { inferenceId }) };
    if (response.status >= 300) {
      let code = 'unparsed_error_body';
      try {
        code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? code;
      } catch {
        // keeps the placeholder: the body was not the documented error shape
      }
      return { ...base, code };
    }
    if (request.kind.endsWith('-stream')) {
      const streamed = streamedContent(request.kind, text);
      if (streamed.code) return { ...base, code: streamed.code, content: streamed.content };
      if (!streamed.complete)
        return { ...base, network: 'stream ended before its last event', content: streamed.content };
      return { ...base, content: streamed.content };
    }
    return { ...base, content: wholeContent(request.kind, JSON.parse(text)) };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { api, network: cause?.code ?? (error as Error).name ?? 'fetch failed' };
  }
}

/** Whether a client re-sends after this outcome: a broken connection, a stream cut short, or a 5xx. */
export function shouldResend(outcome: SendOutcome): boolean {
  if (outcome.network) return true;
  if (outcome.status !== undefined && outcome.status >= 500) return true;
  // An error event inside a 200 stream: the gateway said the answer could not be finished.
  return outcome.status === 200 && outcome.code !== undefined;
}

/**
 * Sends a request until it is answered, re-sending it with the same Idempotency-Key after a
 * broken connection or a 5xx: to the other API after a connection error, to the same one after
 * an answered error, each after a short pause.
 */
export async function runRequest(request: LogicalRequest, firstApi: number, options: ClientOptions): Promise<void> {
  const began = Date.now();
  let api = firstApi;
  for (;;) {
    const outcome = { ...(await sendOnce(request, api, options)), at: Date.now() };
    request.sends.push(outcome);
    if (!shouldResend(outcome) || Date.now() - began > options.giveUpAfterMs) {
      request.final = outcome;
      return;
    }
    if (outcome.network) api = (api + 1) % options.apiUrls.length;
    await delay(300 + Math.random() * 700);
  }
}

export function newRequest(index: number): LogicalRequest {
  const marker = `chaos-request-${randomUUID()}`;
  return {
    key: randomUUID(),
    marker,
    prompt: `Request ${index}, ${marker}: say something short.`,
    kind: requestKinds[index % requestKinds.length]!,
    trafficClass: loadTrafficClasses[Math.floor(Math.random() * loadTrafficClasses.length)]!,
    sends: [],
  };
}

/** `clients` loops, each sending one request after another until `stopAt`, spread over the API ports. */
export async function runLoad(clients: number, stopAt: number, options: ClientOptions): Promise<LogicalRequest[]> {
  const requests: LogicalRequest[] = [];
  let count = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (Date.now() < stopAt) {
        const request = newRequest(count++);
        requests.push(request);
        await runRequest(request, client % options.apiUrls.length, options);
      }
    }),
  );
  return requests;
}
