import type { ApiShape } from '../api-shape';
import { openAIErrorType, sendOpenAIError } from './openai-error-response';
import { createOpenAIStreamRenderer } from './openai-stream-renderer';
import { toOpenAICompletion } from './to-openai-completion';

/** OpenAI chat completions: `chat.completion` answers, `chat.completion.chunk` streams, `{"error":{…}}` errors. */
export function openAIApiShape(
  modelGroup: string,
  { includeUsage = false }: { includeUsage?: boolean } = {},
): ApiShape {
  return {
    sendError: (response, status, { message, code, param, attempts }) =>
      sendOpenAIError(response, status, {
        message,
        type: openAIErrorType(status),
        code,
        ...(param !== undefined && { param }),
        ...(attempts && { attempts }),
      }),
    answer: (result) => toOpenAICompletion(result, modelGroup),
    streamRenderer: (inferenceId) =>
      createOpenAIStreamRenderer({ modelGroup, includeUsage, fallbackId: `chatcmpl-${inferenceId}` }),
  };
}
