import express, { type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import { ZodError } from 'zod';
import {
  anthropicError,
  anthropicMessage,
  anthropicRateLimitHeaders,
  anthropicStreamEvents,
  summarizeAnthropic,
} from '../providers/anthropic/anthropic-simulator-wire';
import {
  bedrockError,
  converseOutput,
  converseStreamFrames,
  exceptionFrame,
  sigV4Identity,
  summarizeConverse,
} from '../providers/bedrock/bedrock-simulator-wire';
import { bedrockEmbeddingFamily } from '../providers/embedding-capabilities';
import { bedrockEmbeddingAnswer, openAIEmbeddingAnswer, type EmbeddingWireAnswer } from './embedding-wire';
import { FaultPlan, type CallPlan } from './fault-plan';
import {
  openAICompletion,
  openAIError,
  openAIRateLimitHeaders,
  openAIStreamEvents,
  summarizeOpenAI,
} from '../providers/openai/openai-simulator-wire';
import { simulateReply, type ConversationSummary, type SimulatedReply } from './simulated-reply';
import { routeKey, type SimulatedRoute, type WireErrorKind } from './simulator-faults';
import type { WireError } from './wire-error';
import { findForgedThinking, SimulatedPromptCache } from './simulated-reasoning';
import {
  applyGuardrailOutput,
  guardrailScriptListSchema,
  isApplyGuardrailBody,
  type GuardrailScript,
  type GuardrailScriptInput,
} from './guardrail-wire';

/** One call as a route received it, for tests that check what a translation sent. */
export interface RecordedRequest {
  /** `provider/account/region/model`, the call counter's key. */
  route: string;
  path: string;
  /** The Anthropic headers the call carried. */
  headers: { 'anthropic-beta'?: string; 'anthropic-version'?: string };
  body: Record<string, unknown>;
}

/** How many recorded requests the simulator keeps (the newest). */
const recordedRequestLimit = 200;

/** How one provider's wire format answers a call the simulator has decided on. */
interface WireFormat {
  error(kind: WireErrorKind, plan: CallPlan): WireError;
  success(response: Response, reply: SimulatedReply, plan: CallPlan, filtered: boolean): void;
  stream?(response: Response, reply: SimulatedReply, plan: CallPlan, interrupted: boolean): Promise<void>;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

function sendWireError(response: Response, error: WireError): void {
  response.status(error.status).set(error.headers).json(error.body);
}

/**
 * Writes a stream's chunks after the time to first token. An interrupted stream stops halfway and
 * ends with the provider's in-stream error instead of its proper ending.
 */
async function writeSlowly(
  response: Response,
  chunks: Array<string | Uint8Array>,
  plan: CallPlan,
  interruption?: string | Uint8Array,
): Promise<void> {
  await sleep(plan.timeToFirstTokenMs);
  const sent = interruption ? [...chunks.slice(0, Math.max(1, Math.floor(chunks.length / 2))), interruption] : chunks;
  for (const chunk of sent) {
    if (response.destroyed) return;
    response.write(chunk);
    await sleep(1);
  }
  response.end();
}

/**
 * The provider simulator: OpenAI chat completions, Anthropic messages and Bedrock Converse /
 * ConverseStream / InvokeModel / ApplyGuardrail (verdicts scripted by `setGuardrails`), each in its real wire format, with faults scriptable per route
 * (provider, account, region, model) and a counter of the calls each route received.
 */
export function createSimulator() {
  const calls = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  const promptCache = new SimulatedPromptCache();
  const faults = new FaultPlan();
  const guardrails: GuardrailScript[] = [];
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '50mb', type: () => true }));

  async function serve(
    request: Request,
    response: Response,
    route: SimulatedRoute,
    summary: ConversationSummary,
    wire: WireFormat,
    stream: boolean,
  ) {
    calls.set(routeKey(route), (calls.get(routeKey(route)) ?? 0) + 1);
    const headers = Object.fromEntries(
      (['anthropic-beta', 'anthropic-version'] as const).flatMap((name) =>
        typeof request.headers[name] === 'string' ? [[name, request.headers[name]]] : [],
      ),
    );
    requests.push({ route: routeKey(route), path: request.path, headers, body: request.body ?? {} });
    if (requests.length > recordedRequestLimit) requests.shift();
    // Like Anthropic, refuse a thinking block sent back with a signature that is not the one it was given.
    if (findForgedThinking(summary.thinkingSentBack ?? []) !== undefined) {
      sendWireError(response, wire.error('invalid_request', { latencyMs: 0, timeToFirstTokenMs: 0 }));
      return;
    }
    const answer = simulateReply(summary);
    const reply = { ...answer, cache: promptCache.use(summary.cachedPrefix, answer.promptTokens) };
    const plan = faults.plan(route, reply.promptTokens + reply.completionTokens);
    if (plan.latencyMs > 0) await sleep(plan.latencyMs);
    if (plan.error === 'hang') {
      await new Promise((resolve) => response.once('close', resolve));
      return;
    }
    if (plan.error === 'malformed') {
      response.status(200).type('application/json').send('{"id": "truncated upstream resp');
      return;
    }
    if (plan.error === 'stream_interrupted' && stream && wire.stream) {
      await wire.stream(response, reply, plan, true);
      return;
    }
    if (plan.error && plan.error !== 'content_filtered') {
      sendWireError(response, wire.error(plan.error === 'stream_interrupted' ? 'server_error' : plan.error, plan));
      return;
    }
    if (stream && wire.stream) {
      await wire.stream(response, reply, plan, false);
      return;
    }
    wire.success(response, reply, plan, plan.error === 'content_filtered');
  }

  /**
   * One embedding call: counted and recorded like a chat call, then the fault plan decides
   * (latency, hang, malformed body, or an error in the wire's format) before the vectors.
   */
  async function serveEmbedding(
    request: Request,
    response: Response,
    route: SimulatedRoute,
    answer: EmbeddingWireAnswer,
    error: (kind: WireErrorKind, plan: CallPlan) => WireError,
  ) {
    calls.set(routeKey(route), (calls.get(routeKey(route)) ?? 0) + 1);
    requests.push({ route: routeKey(route), path: request.path, headers: {}, body: request.body ?? {} });
    if (requests.length > recordedRequestLimit) requests.shift();
    if (!answer.ok) {
      const refusal = error('invalid_request', { latencyMs: 0, timeToFirstTokenMs: 0 });
      const body = refusal.body as { error?: { message?: string }; message?: string };
      if (body.error) body.error.message = answer.message;
      else body.message = answer.message;
      return sendWireError(response, refusal);
    }
    const plan = faults.plan(route, answer.tokens);
    if (plan.latencyMs > 0) await sleep(plan.latencyMs);
    if (plan.error === 'hang') {
      await new Promise((resolve) => response.once('close', resolve));
      return;
    }
    if (plan.error === 'malformed') {
      response.status(200).type('application/json').send('{"object": "list", "data": [{"embedd');
      return;
    }
    // An embedding has no stream and no content filter: those faults answer as a server error and a success.
    if (plan.error && plan.error !== 'content_filtered')
      return sendWireError(response, error(plan.error === 'stream_interrupted' ? 'server_error' : plan.error, plan));
    response.set(answer.headers).json(answer.body());
  }

  app.post(['/v1/embeddings', '/regions/:region/v1/embeddings'], async (request: Request, response: Response) => {
    const body = request.body ?? {};
    const account = request.headers.authorization?.replace(/^Bearer\s+/, '');
    if (!account)
      return sendWireError(response, openAIError('authentication', { latencyMs: 0, timeToFirstTokenMs: 0 }));
    const model = typeof body.model === 'string' ? body.model : '';
    const route: SimulatedRoute = {
      provider: 'openai',
      account,
      region: (request.params as { region?: string }).region ?? 'default',
      model,
    };
    await serveEmbedding(request, response, route, openAIEmbeddingAnswer(body), openAIError);
  });

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
      return writeSlowly(
        response,
        openAIStreamEvents(model, reply, includeUsage),
        plan,
        interrupted ? error : undefined,
      );
    },
  });

  app.post(
    ['/v1/chat/completions', '/regions/:region/v1/chat/completions'],
    async (request: Request, response: Response) => {
      const body = request.body ?? {};
      const account = request.headers.authorization?.replace(/^Bearer\s+/, '');
      const model = typeof body.model === 'string' ? body.model : '';
      const wire = openAIWire(model, body.stream_options?.include_usage === true, body);
      if (!account)
        return sendWireError(response, openAIError('authentication', { latencyMs: 0, timeToFirstTokenMs: 0 }));
      if (!model || !Array.isArray(body.messages))
        return sendWireError(response, openAIError('invalid_request', { latencyMs: 0, timeToFirstTokenMs: 0 }));
      const route: SimulatedRoute = {
        provider: 'openai',
        account,
        region: (request.params as { region?: string }).region ?? 'default',
        model,
      };
      await serve(request, response, route, summarizeOpenAI(body), wire, body.stream === true);
    },
  );

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

  app.post(['/v1/messages', '/regions/:region/v1/messages'], async (request: Request, response: Response) => {
    const body = request.body ?? {};
    // Anthropic accepts the key as x-api-key or, as newer SDKs send it, as a bearer token.
    const account = request.headers['x-api-key'] ?? request.headers.authorization?.replace(/^Bearer\s+/, '');
    const model = typeof body.model === 'string' ? body.model : '';
    const wire = anthropicWire(model);
    const noPlan = { latencyMs: 0, timeToFirstTokenMs: 0 };
    if (typeof account !== 'string' || !account)
      return sendWireError(response, anthropicError('authentication', noPlan));
    if (!model || !Array.isArray(body.messages) || typeof body.max_tokens !== 'number')
      return sendWireError(response, anthropicError('invalid_request', noPlan));
    const route: SimulatedRoute = {
      provider: 'anthropic',
      account,
      region: (request.params as { region?: string }).region ?? 'default',
      model,
    };
    await serve(request, response, route, summarizeAnthropic(body), wire, body.stream === true);
  });

  const bedrockWire = (kind: 'converse' | 'invoke'): WireFormat => ({
    error: bedrockError,
    success: (response, reply, plan, filtered) => {
      response.set('x-amzn-requestid', randomUUID());
      if (kind === 'invoke') response.json(anthropicMessage('bedrock-model', reply, filtered));
      else response.json(converseOutput(reply, Math.round(plan.latencyMs), filtered));
    },
    stream: (response, reply, plan, interrupted) => {
      response.status(200).set('x-amzn-requestid', randomUUID()).type('application/vnd.amazon.eventstream');
      const error = exceptionFrame('modelStreamErrorException', 'The model stream was interrupted.');
      return writeSlowly(
        response,
        converseStreamFrames(reply, Math.round(plan.latencyMs)),
        plan,
        interrupted ? error : undefined,
      );
    },
  });

  app.post('/model/:modelId/:operation', async (request: Request, response: Response) => {
    const { modelId, operation } = request.params as { modelId: string; operation: string };
    const identity = sigV4Identity(request.headers.authorization);
    const noPlan = { latencyMs: 0, timeToFirstTokenMs: 0 };
    if (!identity) return sendWireError(response, bedrockError('authentication', noPlan));
    const body = request.body ?? {};
    const route: SimulatedRoute = {
      provider: 'bedrock',
      account: identity.account,
      region: identity.region,
      model: decodeURIComponent(modelId),
    };
    if (operation === 'converse' || operation === 'converse-stream') {
      if (!Array.isArray(body.messages)) return sendWireError(response, bedrockError('invalid_request', noPlan));
      await serve(
        request,
        response,
        route,
        summarizeConverse(body),
        bedrockWire('converse'),
        operation === 'converse-stream',
      );
    } else if (operation === 'invoke' && bedrockEmbeddingFamily(route.model)) {
      await serveEmbedding(request, response, route, bedrockEmbeddingAnswer(route.model, body), bedrockError);
    } else if (operation === 'invoke') {
      if (!Array.isArray(body.messages)) return sendWireError(response, bedrockError('invalid_request', noPlan));
      await serve(request, response, route, summarizeAnthropic(body), bedrockWire('invoke'), false);
    } else {
      response
        .status(404)
        .set('x-amzn-errortype', 'UnknownOperationException')
        .json({ message: `Unknown operation ${operation}` });
    }
  });

  // ApplyGuardrail: counted and recorded like a model call (route model `guardrail:<identifier>:<version>`),
  // faults apply to it, and the scripts decide the verdict.
  app.post(
    '/guardrail/:guardrailIdentifier/version/:guardrailVersion/apply',
    async (request: Request, response: Response) => {
      const { guardrailIdentifier, guardrailVersion } = request.params as {
        guardrailIdentifier: string;
        guardrailVersion: string;
      };
      const identity = sigV4Identity(request.headers.authorization);
      const noPlan = { latencyMs: 0, timeToFirstTokenMs: 0 };
      if (!identity) return sendWireError(response, bedrockError('authentication', noPlan));
      const body = request.body ?? {};
      const route: SimulatedRoute = {
        provider: 'bedrock',
        account: identity.account,
        region: identity.region,
        model: `guardrail:${decodeURIComponent(guardrailIdentifier)}:${decodeURIComponent(guardrailVersion)}`,
      };
      calls.set(routeKey(route), (calls.get(routeKey(route)) ?? 0) + 1);
      requests.push({ route: routeKey(route), path: request.path, headers: {}, body });
      if (requests.length > recordedRequestLimit) requests.shift();
      if (!isApplyGuardrailBody(body)) return sendWireError(response, bedrockError('invalid_request', noPlan));
      const plan = faults.plan(route, 0);
      if (plan.latencyMs > 0) await sleep(plan.latencyMs);
      if (plan.error === 'hang') {
        await new Promise((resolve) => response.once('close', resolve));
        return;
      }
      if (plan.error === 'malformed') {
        response.status(200).type('application/json').send('{"action": "GUARDRAIL_INTER');
        return;
      }
      if (plan.error && plan.error !== 'content_filtered')
        return sendWireError(
          response,
          bedrockError(plan.error === 'stream_interrupted' ? 'server_error' : plan.error, plan),
        );
      response
        .set('x-amzn-requestid', randomUUID())
        .json(applyGuardrailOutput(guardrails, decodeURIComponent(guardrailIdentifier), body));
    },
  );

  // Control API: tests and demos script faults and read the per-route call counters.
  app.get('/_simulator/calls', (_request, response) => {
    response.json(Object.fromEntries(calls));
  });
  app.get('/_simulator/requests', (_request, response) => {
    response.json(requests);
  });
  app.get('/_simulator/faults', (_request, response) => {
    response.json(faults.list());
  });
  app.put('/_simulator/faults', (request, response) => {
    try {
      faults.set(request.body);
      response.json(faults.list());
    } catch (error) {
      response.status(400).json({ error: error instanceof ZodError ? error.issues : String(error) });
    }
  });
  app.get('/_simulator/guardrails', (_request, response) => {
    response.json(guardrails);
  });
  app.put('/_simulator/guardrails', (request, response) => {
    try {
      guardrails.splice(0, guardrails.length, ...guardrailScriptListSchema.parse(request.body));
      response.json(guardrails);
    } catch (error) {
      response.status(400).json({ error: error instanceof ZodError ? error.issues : String(error) });
    }
  });
  app.post('/_simulator/reset', (_request, response) => {
    calls.clear();
    requests.length = 0;
    faults.set([]);
    guardrails.length = 0;
    response.status(204).end();
  });

  const setGuardrails = (scripts: GuardrailScriptInput[]) => {
    guardrails.splice(0, guardrails.length, ...guardrailScriptListSchema.parse(scripts));
  };
  return { app, calls, requests, faults, setGuardrails };
}
