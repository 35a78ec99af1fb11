import type { ApiShape } from '../api-shape';
import { openAIErrorType, sendOpenAIError } from '../openai-chat/openai-error-response';
import { toResponsesObject, type ResponsesEcho } from './responses-object';
import { createResponsesStreamRenderer } from './responses-stream-renderer';

/**
 * OpenAI Responses: `response` objects, `response.*` stream events, `{"error":{…}}` errors.
 * `encryptedReasoning`: the request's `include` asked for `reasoning.encrypted_content`.
 */
export function responsesApiShape(echo: ResponsesEcho, encryptedReasoning: boolean): ApiShape {
  return {
    sendError: (response, status, { message, code, param, attempts }) =>
      sendOpenAIError(response, status, {
        message,
        type: openAIErrorType(status),
        code,
        ...(param !== undefined && { param }),
        ...(attempts && { attempts }),
      }),
    answer: (result, inferenceId) => toResponsesObject(result, inferenceId, echo, encryptedReasoning),
    streamRenderer: (inferenceId) => createResponsesStreamRenderer({ inferenceId, echo, encryptedReasoning }),
  };
}
