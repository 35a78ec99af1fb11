import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import {
  noPlan,
  sendWireError,
  writeSlowly,
  type SimulatorMount,
  type WireFormat,
} from '../../simulator/simulator-mount';
import {
  anthropicError,
  anthropicMessage,
  anthropicRateLimitHeaders,
  anthropicStreamEvents,
  summarizeAnthropic,
} from './anthropic-simulator-wire';

const anthropicWire = (model: string): WireFormat => ({
  error: anthropicError,
  success: (response, reply, plan, filtered) => {
    response
      .set(anthropicRateLimitHeaders(plan.limits))
      .set('request-id', `req_${randomUUID()}`)
      .json(anthropicMessage(model, reply, filtered));
  },
  stream: (response, reply, plan, interrupted) => {
    response.status(200).set(anthropicRateLimitHeaders(plan.limits)).type('text/event-stream');
    const error = `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })}\n\n`;
    return writeSlowly(response, anthropicStreamEvents(model, reply), plan, interrupted ? error : undefined);
  },
});

/** Anthropic's messages, at the root and under `/regions/<region>`; the API key is the route's account. */
export function mountAnthropicSimulator(simulator: SimulatorMount): void {
  simulator.app.post(['/v1/messages', '/regions/:region/v1/messages'], async (request: Request, response: Response) => {
    const body = request.body ?? {};
    // Anthropic accepts the key as x-api-key or, as newer SDKs send it, as a bearer token.
    const account = request.headers['x-api-key'] ?? request.headers.authorization?.replace(/^Bearer\s+/, '');
    const model = typeof body.model === 'string' ? body.model : '';
    if (typeof account !== 'string' || !account)
      return sendWireError(response, anthropicError('authentication', noPlan));
    if (!model || !Array.isArray(body.messages) || typeof body.max_tokens !== 'number')
      return sendWireError(response, anthropicError('invalid_request', noPlan));
    const route = {
      provider: 'anthropic' as const,
      account,
      region: (request.params as { region?: string }).region ?? 'default',
      model,
    };
    await simulator.serveChat(
      request,
      response,
      route,
      summarizeAnthropic(body),
      anthropicWire(model),
      body.stream === true,
    );
  });
}
