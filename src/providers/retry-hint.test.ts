import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRetryHint } from './retry-hint';

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
