import { isCancellation, patched, setHandler } from '@temporalio/workflow';
import { decisionQuery } from './decision-query';
import { everyPatch, fail, type Patches } from './decision-outcome';
import { routingPolicy } from './inference-activities';
import { InferenceChain, type AnyInferenceInput, type AnyInferenceResult } from './inference-chain';
import type {
  DecisionRecord,
  EmbeddingInferenceInput,
  EmbeddingInferenceResult,
  InferenceInput,
  InferenceResult,
} from './inference-types';

/** One durable inference, whatever type it runs as. */
async function runInference(input: AnyInferenceInput, patches: Patches): Promise<AnyInferenceResult> {
  const audit: { decision?: DecisionRecord } = {};
  try {
    return await runChain(input, audit, patches);
  } catch (error) {
    // The API cancels the workflow when its client disconnects. Wherever that lands (a selection
    // step, a wait, a provider call), the inference ends with its decision record and says why.
    if (!isCancellation(error) || !audit.decision) throw error;
    const { decision } = audit;
    decision.end = 'cancelled by client';
    fail(patches, 'Cancelled', 'The inference was cancelled by the client', {
      attempts: decision.attempts.reduce((sum, attempt) => sum + attempt.calls, 0),
      decision,
    });
  }
}

/**
 * One durable inference: choose a route in four steps (provider → model → account → region), call
 * it, and on failure walk the fallback chain until success or the traffic class's explicit end.
 * Every new inference runs as this type, a chat or (with `operation: "embeddings"`) an embedding
 * one. It makes no `patched()` calls for the changes it was born with: each call costs a marker
 * event and a `TemporalChangeVersion` search-attribute update per inference.
 */
export function inferenceV2(input: EmbeddingInferenceInput): Promise<EmbeddingInferenceResult>;
export function inferenceV2(input: InferenceInput): Promise<InferenceResult>;
export function inferenceV2(input: AnyInferenceInput): Promise<AnyInferenceResult> {
  // Not `async`: an async wrapper would add a promise, and every workflow promise costs the SDK a
  // stack capture (bench/README.md).
  return runInference(input, everyPatch);
}

/**
 * The first inference type, kept so that runs started as it (and their recorded histories) go on
 * and replay: each change made after them is behind its `patched()` marker.
 */
export async function inference(input: InferenceInput): Promise<InferenceResult> {
  // Chat inputs only (embeddings came after it): the result is a chat answer.
  return (await runInference(input, patched)) as InferenceResult;
}

/** The fallback chain, top to bottom: select → invoke → classify → go on or end (see InferenceChain). */
async function runChain(
  input: AnyInferenceInput,
  audit: { decision?: DecisionRecord },
  patches: Patches,
): Promise<AnyInferenceResult> {
  const startedAt = Date.now();
  // The API sends the policy in the input; inputs recorded before it did read it with a local activity.
  const routing =
    input.routing ??
    (await routingPolicy.executeWithOptions({ summary: `routing policy for ${input.trafficClass} traffic` }, [
      { trafficClass: input.trafficClass },
    ]));
  const chain = new InferenceChain(input, patches, routing, startedAt);
  audit.decision = chain.decision;
  setHandler(decisionQuery, () => chain.decision);

  if (chain.deferred) await chain.waitIfDeferred();
  for (let round = 1; ; round++) {
    const limit = chain.startRound();
    if (limit) {
      await chain.endOrWait(limit);
      continue;
    }
    if (chain.pastDeadline()) chain.end('deadline');

    const selection = await chain.select(round);
    if (selection.kind === 'no_provider') {
      await chain.retrySetAsideOrEnd();
      continue;
    }
    if (selection.kind === 'over_budget') {
      await chain.waitForBudget(selection.resetsAt, selection.message);
      continue;
    }
    if (selection.kind === 'none') continue;

    const attempt = await chain.invoke(selection);
    if (attempt.kind === 'success') return chain.succeed(attempt);
    chain.classify(attempt);
  }
}
