import express, { type Request, type Response } from 'express';
import { ZodError } from 'zod';
import { providerKindModules } from '../providers/provider-kinds';
import { FaultPlan, type CallPlan } from './fault-plan';
import { guardrailScriptListSchema, type GuardrailScript, type GuardrailScriptInput } from './guardrail-scripts';
import { findForgedThinking, SimulatedPromptCache } from './simulated-reasoning';
import { simulateReply, type ConversationSummary } from './simulated-reply';
import { routeKey, type SimulatedRoute, type WireErrorKind } from './simulator-faults';
import {
  noPlan,
  sendWireError,
  sleep,
  type EmbeddingWireAnswer,
  type SimulatorMount,
  type WireFormat,
} from './simulator-mount';
import type { WireError } from './wire-error';

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

/**
 * The provider simulator: each provider kind's module mounts the routes of its real wire format
 * (OpenAI chat completions and embeddings, Anthropic messages, Bedrock Converse / ConverseStream /
 * InvokeModel / ApplyGuardrail with verdicts scripted by `setGuardrails`); here are what they
 * share: faults scriptable per route (provider, account, region, model), a counter of the calls
 * each route received, the recorded requests and the control API.
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
      sendWireError(response, wire.error('invalid_request', noPlan));
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
      const refusal = error('invalid_request', noPlan);
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

  const mount: SimulatorMount = {
    app,
    serveChat: serve,
    serveEmbedding,
    record(route, request, body) {
      calls.set(routeKey(route), (calls.get(routeKey(route)) ?? 0) + 1);
      requests.push({ route: routeKey(route), path: request.path, headers: {}, body });
      if (requests.length > recordedRequestLimit) requests.shift();
    },
    plan: (route, tokens) => faults.plan(route, tokens),
    guardrails,
  };
  // Each provider kind adds the routes of its wire format (provider-kinds.ts lists them).
  for (const module of providerKindModules) if ('mountSimulator' in module) module.mountSimulator(mount);

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
