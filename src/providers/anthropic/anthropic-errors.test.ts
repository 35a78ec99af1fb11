import Anthropic from '@anthropic-ai/sdk';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyAnthropicError } from './anthropic-errors';

describe('classifyAnthropicError', () => {
  it('treats an empty credit balance (a 400 invalid_request_error) as exhausted quota, not a bad request', () => {
    const body = {
      type: 'error',
      error: { type: 'invalid_request_error', message: 'Your credit balance is too low to access the Anthropic API.' },
    };
    const error = Anthropic.APIError.generate(400, body, undefined, new Headers());
    assert.equal(classifyAnthropicError(error).type, 'QuotaExhausted');
  });

  it('reads the rate-limit reset when there is no Retry-After', () => {
    const now = Date.parse('2026-11-22T00:00:00Z');
    const headers = new Headers({ 'anthropic-ratelimit-requests-reset': '2026-11-22T00:00:07Z' });
    const error = Anthropic.APIError.generate(
      429,
      { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
      undefined,
      headers,
    );
    const details = classifyAnthropicError(error, now);
    assert.equal(details.type, 'RateLimited');
    assert.equal(details.retryAfterMs, 7_000);
  });
});
