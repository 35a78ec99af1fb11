import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import {
  noPlan,
  sendWireError,
  writeSlowly,
  type SimulatorMount,
  type WireFormat,
} from '../../simulator/simulator-mount';
import type { SimulatedRoute } from '../../simulator/simulator-faults';
import { openAIEmbeddingAnswer } from './openai-embeddings-simulator-wire';
import {
  openAICompletion,
  openAIError,
  openAIRateLimitHeaders,
  openAIStreamEvents,
  summarizeOpenAI,
} from './openai-simulator-wire';

const openAIWire = (model: string, includeUsage: boolean, body: Record<string, unknown>): WireFormat => ({
  error: openAIError,
  success: (response, reply, plan, filtered) => {
    response
      .set(openAIRateLimitHeaders(plan.limits))
      .set('x-request-id', `req_${randomUUID()}`)
      .json(openAICompletion(model, reply, filtered ? 'content_filter' : undefined, body));
  },
  stream: (response, reply, plan, interrupted) => {
    response.status(200).set(openAIRateLimitHeaders(plan.limits)).type('text/event-stream');
    const error = `data: ${JSON.stringify({ error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } })}\n\n`;
    return writeSlowly(response, openAIStreamEvents(model, reply, includeUsage), plan, interrupted ? error : undefined);
  },
});

/**
 * OpenAI's chat completions and embeddings, at the root and under `/regions/<region>`. The API key
 * is the route's account; openai and openai-compatible providers both reach these routes.
 */
export function mountOpenAISimulator(simulator: SimulatorMount): void {
  const routeOf = (request: Request, account: string, model: string): SimulatedRoute => ({
    provider: 'openai',
    account,
    region: (request.params as { region?: string }).region ?? 'default',
    model,
  });

  simulator.app.post(
    ['/v1/embeddings', '/regions/:region/v1/embeddings'],
    async (request: Request, response: Response) => {
      const body = request.body ?? {};
      const account = request.headers.authorization?.replace(/^Bearer\s+/, '');
      if (!account) return sendWireError(response, openAIError('authentication', noPlan));
      const model = typeof body.model === 'string' ? body.model : '';
      await simulator.serveEmbedding(
        request,
        response,
        routeOf(request, account, model),
        openAIEmbeddingAnswer(body),
        openAIError,
      );
    },
  );

  simulator.app.post(
    ['/v1/chat/completions', '/regions/:region/v1/chat/completions'],
    async (request: Request, response: Response) => {
      const body = request.body ?? {};
      const account = request.headers.authorization?.replace(/^Bearer\s+/, '');
      const model = typeof body.model === 'string' ? body.model : '';
      const wire = openAIWire(model, body.stream_options?.include_usage === true, body);
      if (!account) return sendWireError(response, openAIError('authentication', noPlan));
      if (!model || !Array.isArray(body.messages))
        return sendWireError(response, openAIError('invalid_request', noPlan));
      await simulator.serveChat(
        request,
        response,
        routeOf(request, account, model),
        summarizeOpenAI(body),
        wire,
        body.stream === true,
      );
    },
  );
}
