import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openAIRateLimitReset, parseResetDuration, parseRetryHint } from './retry-hint';

describe('parseRetryHint', () => {
  it('prefers retry-after-ms', () => {
    assert.equal(parseRetryHint(new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' })), 1500);
  });
  it('reads retry-after as seconds', () => {
    assert.equal(parseRetryHint({ 'retry-after': '2' }), 2000);
  });
  it('reads retry-after as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryHint({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, now), 5000);
  });
  it('returns undefined without a usable hint', () => {
    assert.equal(parseRetryHint(undefined), undefined);
    assert.equal(parseRetryHint({ 'retry-after': 'soon' }), undefined);
    assert.equal(parseRetryHint(new Headers()), undefined);
  });
});

describe('OpenAI x-ratelimit-reset-*', () => {
  it('parses Go-style durations', () => {
    assert.equal(parseResetDuration('20ms'), 20);
    assert.equal(parseResetDuration('1s'), 1000);
    assert.equal(parseResetDuration('6m0s'), 360_000);
    assert.equal(parseResetDuration('1h2m3.5s'), 3_723_500);
    assert.equal(parseResetDuration('soon'), undefined);
  });

  it('uses the reset of the window that is exhausted', () => {
    const headers = new Headers({
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '12s',
      'x-ratelimit-remaining-tokens': '5000',
      'x-ratelimit-reset-tokens': '1m0s',
    });
    assert.equal(openAIRateLimitReset(headers), 12_000);
    assert.equal(openAIRateLimitReset(new Headers({ 'x-ratelimit-reset-requests': '12s' })), undefined);
  });
});
