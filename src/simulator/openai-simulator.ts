import express, { type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';

export interface SimulatorOptions {
  /** Fixed delay before each answer, in milliseconds. */
  latencyMs?: number;
}

interface SimulatorMessage {
  role?: string;
  content?: unknown;
}

function lastUserText(messages: SimulatorMessage[]): string {
  const last = [...messages].reverse().find((message) => message.role === 'user');
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  if (Array.isArray(last.content)) {
    return last.content
      .map((part: { type?: string; text?: string }) => (part.type === 'text' ? part.text ?? '' : ''))
      .join(' ');
  }
  return '';
}

function sendOpenAIError(response: Response, status: number, type: string, message: string, code: string | null = null): void {
  response.status(status).json({ error: { message, type, param: null, code } });
}

const wait = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/**
 * A provider simulator that speaks OpenAI's chat-completions wire format. It counts the calls each
 * model receives so tests can check exactly how often the gateway called upstream.
 */
export function createOpenAISimulator(options: SimulatorOptions = {}) {
  const calls = new Map<string, number>();
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '20mb' }));

  app.post('/v1/chat/completions', async (request: Request, response: Response) => {
    if (!request.headers.authorization?.startsWith('Bearer ')) {
      sendOpenAIError(response, 401, 'invalid_request_error', 'You didn\'t provide an API key.', 'missing_api_key');
      return;
    }
    const body = request.body as { model?: unknown; messages?: unknown };
    if (typeof body?.model !== 'string' || !Array.isArray(body.messages)) {
      sendOpenAIError(response, 400, 'invalid_request_error', "'model' and 'messages' are required properties.");
      return;
    }
    calls.set(body.model, (calls.get(body.model) ?? 0) + 1);
    if (options.latencyMs) await wait(options.latencyMs);
    const prompt = lastUserText(body.messages as SimulatorMessage[]);
    const content = `Simulated reply to: ${prompt.slice(0, 200)}`;
    const promptTokens = Math.max(1, Math.ceil(JSON.stringify(body.messages).length / 4));
    const completionTokens = Math.max(1, Math.ceil(content.length / 4));
    response.setHeader('x-request-id', `req_${randomUUID().replaceAll('-', '')}`);
    response.json({
      id: `chatcmpl-${randomUUID().replaceAll('-', '')}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: promptTokens + completionTokens,
        prompt_tokens_details: { cached_tokens: 0 },
      },
    });
  });

  app.get('/_simulator/calls', (_request, response) => {
    response.json(Object.fromEntries(calls));
  });
  app.post('/_simulator/reset', (_request, response) => {
    calls.clear();
    response.status(204).end();
  });

  return { app, calls };
}
