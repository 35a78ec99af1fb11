import { WorkflowNotFoundError } from '@temporalio/client';
import { decodeFromPayloadsAtIndex, ExternalStorageRunner } from '@temporalio/common/lib/internal-non-workflow';
import type { ChatMessage } from '../../providers/canonical-chat';
import type { EmbeddingInferenceInput, InferenceInput, InferenceResult } from '../../workflows/inference-types';
import type { ApiDependencies } from '../api-dependencies';
import { readItemId } from './responses-item-ids';
import { reasoningBlocks } from './responses-reasoning';
import type { EarlierItems } from './responses-to-chat-request';
import type { ResponsesBody } from './responses-schema';

/** A `previous_response_id` or `item_reference` the gateway cannot read back: 400, naming the field. */
export class EarlierItemError extends Error {
  override name = 'EarlierItemError';
  constructor(
    message: string,
    readonly param: string,
    readonly code: string,
  ) {
    super(message);
  }
}

interface Recorded {
  input: InferenceInput;
  result: InferenceResult;
}

/** The input and answer of one finished inference of this tenant, or undefined when there is none to read. */
async function readRecorded(
  { client, temporalDeadlineMs = 5_000 }: ApiDependencies,
  tenant: string | undefined,
  inferenceId: string,
): Promise<Recorded | undefined> {
  const handle = client.workflow.getHandle<(input: InferenceInput) => Promise<InferenceResult>>(inferenceId);
  return client.withDeadline(Date.now() + temporalDeadlineMs, async () => {
    try {
      // Another tenant's inference looks like it does not exist.
      const description = await handle.describe();
      if (description.memo?.tenant !== tenant || description.status.name !== 'COMPLETED') return undefined;
      const history = await handle.fetchHistory();
      const converter = client.options.loadedDataConverter;
      const payloads = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
      // A large input sits in payload storage, with a reference in history (fetchHistory leaves it there).
      const stored = converter.externalStorage
        ? await new ExternalStorageRunner(converter.externalStorage).retrieve(payloads)
        : payloads;
      const input = await decodeFromPayloadsAtIndex<InferenceInput | EmbeddingInferenceInput>(converter, 0, stored);
      // An embedding inference has no conversation to continue.
      if (input.operation === 'embeddings') return undefined;
      // `store: false` asked that the answer not be referred to later.
      if (input.request.responses?.store === false) return undefined;
      return { input, result: await handle.result() };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  });
}

/** The answer of an inference as the assistant turn that continues its conversation. */
const answerTurn = ({ response }: InferenceResult): ChatMessage => ({
  role: 'assistant',
  content: response.content,
  ...(response.toolCalls?.length && { tool_calls: response.toolCalls }),
  ...(response.thinking?.length && { thinking: response.thinking }),
});

/**
 * Reads back what `previous_response_id` and `item_reference` items name. The gateway keeps no
 * store of its own: a response id is its inference's workflow id, and the conversation is that
 * workflow's input and result, for as long as Temporal retains it. The previous response's
 * instructions (its system messages) are not carried over, as OpenAI's API specifies.
 */
export async function readEarlierItems(
  dependencies: ApiDependencies,
  tenant: string | undefined,
  body: ResponsesBody,
): Promise<EarlierItems> {
  const cache = new Map<string, Promise<Recorded | undefined>>();
  const recorded = (inferenceId: string) => {
    if (!cache.has(inferenceId)) cache.set(inferenceId, readRecorded(dependencies, tenant, inferenceId));
    return cache.get(inferenceId)!;
  };
  const earlier: EarlierItems = { conversation: [], items: new Map() };
  if (body.previous_response_id) {
    const id = body.previous_response_id;
    const address = readItemId(id);
    const previous = address?.kind === 'response' ? await recorded(address.inferenceId) : undefined;
    if (!previous)
      throw new EarlierItemError(
        `Previous response with id '${id}' not found (the gateway reads earlier responses back from Temporal while it retains them; responses made with store: false cannot be continued).`,
        'previous_response_id',
        'previous_response_not_found',
      );
    earlier.conversation = [
      ...previous.input.request.messages.filter((message) => message.role !== 'system'),
      answerTurn(previous.result),
    ];
  }
  const references = Array.isArray(body.input)
    ? body.input.flatMap((item) => (item.type === 'item_reference' ? [(item as { id: string }).id] : []))
    : [];
  for (const id of references) {
    const address = readItemId(id);
    const found = address && address.kind !== 'response' ? await recorded(address.inferenceId) : undefined;
    const { response } = found?.result ?? {};
    let item: ChatMessage | undefined;
    if (address?.kind === 'message' && response?.content) item = { role: 'assistant', content: response.content };
    // An OpenAI-wire route's reasoning is text without a signature: nothing a provider takes back.
    if (address?.kind === 'reasoning' && response && reasoningBlocks(response).length > 0)
      item = { role: 'assistant', content: null, thinking: response.thinking ?? [] };
    if (address?.kind === 'function_call' && response?.toolCalls?.[address.index])
      item = { role: 'assistant', content: null, tool_calls: [response.toolCalls[address.index]!] };
    if (!item)
      throw new EarlierItemError(
        `Item with id '${id}' not found (an item_reference must name an output item of an earlier response of this gateway).`,
        'input',
        'item_not_found',
      );
    earlier.items.set(id, item);
  }
  return earlier;
}
