import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { inferenceWorkflowIdPrefix, type InferenceInput } from '../workflows/inference-types';
import type { ApiDependencies } from './api-dependencies';
import type { ApiShape } from './api-shape';
import { sendStartFailure, sendUnsuccessfulOutcome } from './gateway-error-response';
import { awaitInference, startInference } from './run-inference';
import { streamInference } from './stream-inference';
import { setGatewayHeaders } from './to-openai-completion';

/**
 * Runs one admitted request as a durable `inference` workflow and answers in the API's shape: the
 * whole answer when the inference ends, or a stream of it when the input asks for one.
 */
export async function respondToInference(dependencies: ApiDependencies, response: Response, input: InferenceInput, shape: ApiShape, receivedAt: number): Promise<void> {
  const inferenceId = `${inferenceWorkflowIdPrefix}${randomUUID()}`;
  if (input.stream) {
    await streamInference(dependencies, response, input, shape, receivedAt, inferenceId);
    return;
  }
  let handle;
  try {
    handle = await startInference(dependencies, input, inferenceId);
  } catch (error) {
    sendStartFailure(response, shape, error, inferenceId);
    return;
  }
  response.setHeader('x-gateway-inference-id', inferenceId);
  const outcome = await awaitInference(dependencies, handle, input, receivedAt);
  if (outcome.kind === 'result') {
    setGatewayHeaders(response, inferenceId, outcome.result);
    response.json(shape.answer(outcome.result));
    return;
  }
  sendUnsuccessfulOutcome(response, shape, outcome);
}
