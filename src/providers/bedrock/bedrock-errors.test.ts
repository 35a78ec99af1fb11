import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyBedrockError } from './bedrock-errors';

const awsError = (name: string, status: number, message: string) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

describe('classifyBedrockError', () => {
  it("treats a wrong model id or a model that needs an inference profile as this route's problem", () => {
    assert.equal(
      classifyBedrockError(awsError('ValidationException', 400, 'The provided model identifier is invalid.')).type,
      'ModelNotFound',
    );
    assert.equal(
      classifyBedrockError(
        awsError(
          'ValidationException',
          400,
          "Invocation of model ID x with on-demand throughput isn't supported. Retry with an inference profile.",
        ),
      ).type,
      'ModelNotFound',
    );
  });

  it('keeps a plain validation error deterministic and a quota error as quota (HTTP 400)', () => {
    assert.equal(
      classifyBedrockError(awsError('ValidationException', 400, 'Malformed input request')).type,
      'InvalidRequest',
    );
    assert.equal(classifyBedrockError(awsError('ServiceQuotaExceededException', 400, 'quota')).type, 'QuotaExhausted');
  });

  it('does not end an inference on an unknown 4xx, such as an STS error from assumeRole', () => {
    assert.equal(
      classifyBedrockError(awsError('ExpiredToken', 400, 'The security token included in the request is expired')).type,
      'ServerError',
    );
  });
});
