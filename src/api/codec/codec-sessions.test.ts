import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codecSessionLifetimeMs, CodecSessions } from './codec-sessions';

describe('codec browser sessions', () => {
  it('map a random id to the key until the session expires', () => {
    let now = 1_000;
    const sessions = new CodecSessions(() => now);
    const id = sessions.open('gw-key-1');
    assert.match(id, /^[\w-]{43}$/);
    assert.notEqual(sessions.open('gw-key-1'), id);
    assert.equal(sessions.keyOf(id), 'gw-key-1');
    assert.equal(sessions.keyOf('unknown'), undefined);
    now += codecSessionLifetimeMs;
    assert.equal(sessions.keyOf(id), undefined);
  });
});
