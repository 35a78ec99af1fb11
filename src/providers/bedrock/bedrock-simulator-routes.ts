import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import {
  noPlan,
  sendWireError,
  sleep,
  writeSlowly,
  type SimulatorMount,
  type WireFormat,
} from '../../simulator/simulator-mount';
import type { SimulatedRoute } from '../../simulator/simulator-faults';
import { anthropicMessage, summarizeAnthropic } from '../anthropic/anthropic-simulator-wire';
import { bedrockEmbeddingFamily } from './bedrock-embedding-family';
import { bedrockEmbeddingAnswer } from './bedrock-embeddings-simulator-wire';
import { applyGuardrailOutput, isApplyGuardrailBody } from './bedrock-guardrail-simulator-wire';
import {
  bedrockError,
  converseOutput,
  converseStreamFrames,
  exceptionFrame,
  sigV4Identity,
  summarizeConverse,
} from './bedrock-simulator-wire';

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

/** The route a SigV4-signed request names: account and region from its credential scope (none when unsigned). */
function signedRoute(request: Request, model: string): SimulatedRoute | undefined {
  const identity = sigV4Identity(request.headers.authorization);
  return identity && { provider: 'bedrock', account: identity.account, region: identity.region, model };
}

/**
 * Bedrock's Converse, ConverseStream, InvokeModel (Claude's messages body or an embedding model's)
 * and ApplyGuardrail. The account and region come from the SigV4 credential scope.
 */
export function mountBedrockSimulator(simulator: SimulatorMount): void {
  simulator.app.post('/model/:modelId/:operation', async (request: Request, response: Response) => {
    const { modelId, operation } = request.params as { modelId: string; operation: string };
    const route = signedRoute(request, decodeURIComponent(modelId));
    if (!route) return sendWireError(response, bedrockError('authentication', noPlan));
    const body = request.body ?? {};
    if (operation === 'converse' || operation === 'converse-stream') {
      if (!Array.isArray(body.messages)) return sendWireError(response, bedrockError('invalid_request', noPlan));
      await simulator.serveChat(
        request,
        response,
        route,
        summarizeConverse(body),
        bedrockWire('converse'),
        operation === 'converse-stream',
      );
    } else if (operation === 'invoke' && bedrockEmbeddingFamily(route.model)) {
      await simulator.serveEmbedding(request, response, route, bedrockEmbeddingAnswer(route.model, body), bedrockError);
    } else if (operation === 'invoke') {
      if (!Array.isArray(body.messages)) return sendWireError(response, bedrockError('invalid_request', noPlan));
      await simulator.serveChat(request, response, route, summarizeAnthropic(body), bedrockWire('invoke'), false);
    } else {
      response
        .status(404)
        .set('x-amzn-errortype', 'UnknownOperationException')
        .json({ message: `Unknown operation ${operation}` });
    }
  });

  // ApplyGuardrail: counted and recorded like a model call (route model `guardrail:<identifier>:<version>`),
  // faults apply to it, and the scripts decide the verdict.
  simulator.app.post(
    '/guardrail/:guardrailIdentifier/version/:guardrailVersion/apply',
    async (request: Request, response: Response) => {
      const { guardrailIdentifier, guardrailVersion } = request.params as {
        guardrailIdentifier: string;
        guardrailVersion: string;
      };
      const route = signedRoute(
        request,
        `guardrail:${decodeURIComponent(guardrailIdentifier)}:${decodeURIComponent(guardrailVersion)}`,
      );
      if (!route) return sendWireError(response, bedrockError('authentication', noPlan));
      const body = request.body ?? {};
      simulator.record(route, request, body);
      if (!isApplyGuardrailBody(body)) return sendWireError(response, bedrockError('invalid_request', noPlan));
      const plan = simulator.plan(route, 0);
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
        .json(applyGuardrailOutput(simulator.guardrails, decodeURIComponent(guardrailIdentifier), body));
    },
  );
}
