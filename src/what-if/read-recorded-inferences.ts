import { WorkflowFailedError, type Client } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { readInferenceFailure } from '../api/inferences/inference-failure';
import { anyInferenceTypeClause, type InferenceInput, type InferenceResult } from '../workflows/inference-types';
import { gatewaySearchAttributes as attributes } from '../workflows/search-attributes';
import type { RecordedInference } from './route-again';

export interface RecordedInferenceFilter {
  /** Only inferences started at or after this time. */
  since?: Date;
  tenant?: string;
  /** Most inferences to read. @default 1000 */
  limit?: number;
}

/**
 * Reads closed inferences from Temporal: the workflow input from the first history event, and the
 * decision record from the result (or the failure's details). Never calls a provider.
 */
export async function readRecordedInferences(
  client: Client,
  filter: RecordedInferenceFilter = {},
): Promise<{ recorded: RecordedInference[]; unreadable: number }> {
  const clauses = [anyInferenceTypeClause, `ExecutionStatus != 'Running'`];
  if (filter.since) clauses.push(`StartTime >= '${filter.since.toISOString()}'`);
  if (filter.tenant) {
    if (!/^[\w.:@-]{1,200}$/.test(filter.tenant))
      throw new Error(`--tenant: use letters, digits and . : @ _ -, got "${filter.tenant}"`);
    clauses.push(`${attributes.tenant.name} = '${filter.tenant}'`);
  }
  const limit = filter.limit ?? 1_000;
  const recorded: RecordedInference[] = [];
  let unreadable = 0;
  for await (const execution of client.workflow.list({ query: clauses.join(' AND ') })) {
    if (recorded.length + unreadable >= limit) break;
    const handle = client.workflow.getHandle<(input: InferenceInput) => Promise<InferenceResult>>(
      execution.workflowId,
      execution.runId,
    );
    try {
      const history = await handle.fetchHistory();
      const payloads = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads;
      const input = await decodeFromPayloadsAtIndex<InferenceInput>(client.options.loadedDataConverter, 0, payloads);
      const decision = await handle.result().then(
        (result) => result.decision,
        (error: unknown) => {
          if (error instanceof WorkflowFailedError) return readInferenceFailure(error)?.details?.decision;
          throw error;
        },
      );
      if (!input?.needs || !decision) {
        unreadable += 1;
        continue;
      }
      recorded.push({ id: execution.workflowId, input, decision });
    } catch {
      unreadable += 1;
    }
  }
  return { recorded, unreadable };
}
