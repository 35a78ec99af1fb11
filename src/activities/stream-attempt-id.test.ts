import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { streamAttemptId } from './stream-attempt-id';

describe('streamAttemptId', () => {
  it('names the activity and its try, and differs between two runs of the same try', () => {
    const info = { activityId: '7', attempt: 1 };
    const first = streamAttemptId(info);
    const second = streamAttemptId(info);
    assert.match(first, /^7\/1\/[0-9a-f]{8}$/);
    assert.match(second, /^7\/1\/[0-9a-f]{8}$/);
    assert.notEqual(first, second);
  });
});
