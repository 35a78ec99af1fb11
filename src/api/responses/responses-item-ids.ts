import { inferenceWorkflowIdPrefix } from '../../workflows/inference-types';

/**
 * Ids of responses and their output items, made from the inference's workflow id so a later
 * request can find them again (`previous_response_id`, `item_reference`) without a store of the
 * gateway's own: the answer is the workflow's result, kept by Temporal.
 */
export const responseId = (inferenceId: string) => `resp_${inferenceId}`;
export const messageItemId = (inferenceId: string) => `msg_${inferenceId}`;
export const reasoningItemId = (inferenceId: string) => `rs_${inferenceId}`;
export const functionCallItemId = (inferenceId: string, index: number) => `fc_${inferenceId}_${index}`;

export type ItemAddress = { inferenceId: string } & (
  { kind: 'response' } | { kind: 'message' } | { kind: 'reasoning' } | { kind: 'function_call'; index: number }
);

/** The inference (and item of its answer) an id names; undefined when the gateway did not make it. */
export function readItemId(id: string): ItemAddress | undefined {
  const match = /^(resp|msg|rs|fc)_(.+?)(?:_(\d+))?$/.exec(id);
  if (!match || !match[2]!.startsWith(inferenceWorkflowIdPrefix)) return undefined;
  const inferenceId = match[2]!;
  if (match[1] === 'fc')
    return match[3] === undefined ? undefined : { inferenceId, kind: 'function_call', index: Number(match[3]) };
  if (match[3] !== undefined) return undefined;
  return { inferenceId, kind: match[1] === 'resp' ? 'response' : match[1] === 'rs' ? 'reasoning' : 'message' };
}
