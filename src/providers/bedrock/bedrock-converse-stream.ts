import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import type { ChatStreamEvent } from '../chat-stream-event';
import { ProviderCallError } from '../provider-error';
import { classifyBedrockError } from './bedrock-errors';
import { fromConverseUsage, mapBedrockStopReason } from './bedrock-converse-response';

/** The exception members ConverseStream can send once the stream has begun. */
const streamExceptions = [
  'internalServerException',
  'modelStreamErrorException',
  'validationException',
  'throttlingException',
  'serviceUnavailableException',
] as const;
const exceptionNames: Record<(typeof streamExceptions)[number], string> = {
  internalServerException: 'InternalServerException',
  modelStreamErrorException: 'ModelStreamErrorException',
  validationException: 'ValidationException',
  throttlingException: 'ThrottlingException',
  serviceUnavailableException: 'ServiceUnavailableException',
};

/**
 * Turns ConverseStream events into canonical events, one event at a time: text deltas become text,
 * a toolUse block start a tool call whose input deltas are its arguments. An exception member is
 * thrown, classified like any other Bedrock error.
 */
export function createConverseStreamTranslator() {
  const toolIndexes = new Map<number, number>();
  return (event: ConverseStreamOutput): ChatStreamEvent[] => {
    for (const member of streamExceptions) {
      const exception = (event as unknown as Record<string, { message?: string } | undefined>)[member];
      if (exception)
        throw new ProviderCallError(classifyBedrockError({ name: exceptionNames[member], message: exception.message }));
    }
    if (event.contentBlockStart?.start?.toolUse) {
      const { toolUseId, name } = event.contentBlockStart.start.toolUse;
      const index = toolIndexes.size;
      toolIndexes.set(event.contentBlockStart.contentBlockIndex ?? index, index);
      return [{ type: 'tool_call_start', index, id: toolUseId ?? `tooluse_${index}`, name: name ?? '' }];
    }
    if (event.contentBlockDelta?.delta) {
      const { delta, contentBlockIndex } = event.contentBlockDelta;
      if (delta.text) return [{ type: 'text', text: delta.text }];
      const reasoning = delta.reasoningContent;
      if (reasoning?.text) return [{ type: 'reasoning', text: reasoning.text }];
      if (reasoning?.signature) return [{ type: 'reasoning_signature', signature: reasoning.signature }];
      if (reasoning?.redactedContent)
        return [{ type: 'redacted_reasoning', data: Buffer.from(reasoning.redactedContent).toString('base64') }];
      const index = toolIndexes.get(contentBlockIndex ?? -1);
      if (delta.toolUse?.input && index !== undefined)
        return [{ type: 'tool_call_delta', index, arguments: delta.toolUse.input }];
      return [];
    }
    if (event.messageStop)
      return [{ type: 'finish', finishReason: mapBedrockStopReason(event.messageStop.stopReason) }];
    if (event.metadata?.usage) return [{ type: 'usage', usage: fromConverseUsage(event.metadata.usage) }];
    return [];
  };
}
