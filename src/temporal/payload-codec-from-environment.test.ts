import { defaultPayloadConverter } from '@temporalio/common';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { keyFingerprint, payloadCodecFromEnvironment } from './payload-codec-from-environment';

const keyText = randomBytes(32).toString('base64');

describe('payload codec from the environment', () => {
  it('is off when GATEWAY_PAYLOAD_KEY is unset or empty', () => {
    assert.equal(payloadCodecFromEnvironment({}), undefined);
    assert.equal(payloadCodecFromEnvironment({ GATEWAY_PAYLOAD_KEY: ' ' }), undefined);
  });

  it('uses GATEWAY_PAYLOAD_KEY_ID, or a fingerprint of the key', () => {
    assert.equal(
      payloadCodecFromEnvironment({ GATEWAY_PAYLOAD_KEY: keyText, GATEWAY_PAYLOAD_KEY_ID: '2025-01' })?.current.id,
      '2025-01',
    );
    assert.equal(
      payloadCodecFromEnvironment({ GATEWAY_PAYLOAD_KEY: keyText })?.current.id,
      keyFingerprint(Buffer.from(keyText, 'base64')),
    );
  });

  it('fails with a message naming the variable, never its value, for a malformed key', () => {
    const notBase64 = 'this is not base64!';
    assert.throws(
      () => payloadCodecFromEnvironment({ GATEWAY_PAYLOAD_KEY: notBase64 }),
      (error: Error) =>
        /^GATEWAY_PAYLOAD_KEY must be 32 random bytes in base64 .*not valid base64/.test(error.message) &&
        !error.message.includes(notBase64),
    );
    const short = randomBytes(16).toString('base64');
    assert.throws(
      () => payloadCodecFromEnvironment({ GATEWAY_PAYLOAD_KEY: short }),
      (error: Error) =>
        /^GATEWAY_PAYLOAD_KEY must be .* decodes to 16 bytes/.test(error.message) && !error.message.includes(short),
    );
  });

  it('fails on a bad key id or a bad previous key, naming which', () => {
    assert.throws(
      () => payloadCodecFromEnvironment({ GATEWAY_PAYLOAD_KEY: keyText, GATEWAY_PAYLOAD_KEY_ID: 'has space' }),
      /Error: GATEWAY_PAYLOAD_KEY_ID must be/,
    );
    assert.throws(
      () =>
        payloadCodecFromEnvironment({
          GATEWAY_PAYLOAD_KEY: keyText,
          GATEWAY_PAYLOAD_PREVIOUS_KEYS: `old:${keyText},broken`,
        }),
      /Error: GATEWAY_PAYLOAD_PREVIOUS_KEYS entry 2 must be "<key id>:<base64 key>"/,
    );
    assert.throws(
      () => payloadCodecFromEnvironment({ GATEWAY_PAYLOAD_KEY: keyText, GATEWAY_PAYLOAD_PREVIOUS_KEYS: 'old:AAAA' }),
      /Error: GATEWAY_PAYLOAD_PREVIOUS_KEYS entry 1 must be 32 random bytes/,
    );
    assert.throws(
      () => payloadCodecFromEnvironment({ GATEWAY_PAYLOAD_KEY_ID: 'orphan' }),
      /GATEWAY_PAYLOAD_KEY_ID is set but GATEWAY_PAYLOAD_KEY is not/,
    );
  });

  it('decodes payloads written under a previous key', async () => {
    const oldKey = randomBytes(32).toString('base64');
    const before = payloadCodecFromEnvironment({ GATEWAY_PAYLOAD_KEY: oldKey, GATEWAY_PAYLOAD_KEY_ID: 'old' })!;
    const [written] = await before.encode([defaultPayloadConverter.toPayload('hello')]);
    const after = payloadCodecFromEnvironment({
      GATEWAY_PAYLOAD_KEY: keyText,
      GATEWAY_PAYLOAD_KEY_ID: 'new',
      GATEWAY_PAYLOAD_PREVIOUS_KEYS: `old:${oldKey}`,
    })!;
    assert.equal(defaultPayloadConverter.fromPayload((await after.decode([written!]))[0]!), 'hello');
  });
});
