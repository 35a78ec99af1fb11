import type { ApiShape } from './api-shape';
import { openAIErrorType, sendOpenAIError } from './openai-error';
import { toResponsesObject, type ResponsesEcho } from './responses-object';
import { createResponsesStreamRenderer } from './responses-stream-renderer';

/** OpenAI Responses: `response` objects, `response.*` stream events, `{"error":{…}}` errors. */
export function responsesApiShape(echo: ResponsesEcho): ApiShape {
  return {
    sendError: (response, status, { message, code, param, attempts }) =>
      sendOpenAIError(response, status, { message, type: openAIErrorType(status), code, ...(param !== undefined && { param }), ...(attempts && { attempts }) }),
    answer: (result, inferenceId) => toResponsesObject(result, inferenceId, echo),
    streamRenderer: (inferenceId) => createResponsesStreamRenderer({ inferenceId, echo }),
  };
}
