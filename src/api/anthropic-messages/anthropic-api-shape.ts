import { sendAnthropicError } from './anthropic-error';
import type { ApiShape } from '../api-shape';
import { createAnthropicStreamRenderer } from './anthropic-stream-renderer';
import { toAnthropicMessage } from './to-anthropic-message';

/** Anthropic messages: `message` answers, `message_start` … `message_stop` streams, `{"type":"error",…}` errors. */
export function anthropicApiShape(modelGroup: string): ApiShape {
  return {
    sendError: (response, status, { message, code, attempts }) =>
      sendAnthropicError(response, status, { message, code, attempts }),
    answer: (result) => toAnthropicMessage(result, modelGroup),
    streamRenderer: (inferenceId) => createAnthropicStreamRenderer({ modelGroup, fallbackId: `msg_${inferenceId}` }),
  };
}
