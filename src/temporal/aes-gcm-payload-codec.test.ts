import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  AesGcmPayloadCodec,
  encryptedEncoding,
  keyIdMetadataKey,
  PayloadDecryptionError,
} from './aes-gcm-payload-codec';

const prompt = { messages: [{ role: 'user', content: 'the secret prompt 7731' }] };
const metadataText = (payload: Payload, key: string) => Buffer.from(payload.metadata?.[key] ?? []).toString('utf8');

describe('AES-GCM payload codec', () => {
  const current = { id: 'key-2', key: randomBytes(32) };
  const codec = new AesGcmPayloadCodec(current);

  it('round-trips a payload, and stores neither its data nor its metadata in the clear', async () => {
    const plain = defaultPayloadConverter.toPayload(prompt);
    const [encrypted] = await codec.encode([plain]);
    assert.ok(encrypted);
    assert.equal(metadataText(encrypted, 'encoding'), encryptedEncoding);
    assert.equal(metadataText(encrypted, keyIdMetadataKey), 'key-2');
    assert.ok(
      !Buffer.from(encrypted.data ?? [])
        .toString('latin1')
        .includes('secret prompt'),
    );
    assert.ok(
      !Buffer.from(encrypted.data ?? [])
        .toString('latin1')
        .includes('json/plain'),
    );
    const [decoded] = await codec.decode([encrypted]);
    assert.deepEqual(defaultPayloadConverter.fromPayload(decoded!), prompt);
    assert.equal(metadataText(decoded!, 'encoding'), 'json/plain');
  });

  it('uses a fresh IV for every payload', async () => {
    const plain = defaultPayloadConverter.toPayload(prompt);
    const [first, second] = await codec.encode([plain, plain]);
    assert.notDeepEqual(Buffer.from(first!.data!), Buffer.from(second!.data!));
  });

  it('passes payloads that were never encrypted through decode unchanged', async () => {
    const plain = defaultPayloadConverter.toPayload('written before the codec was on');
    assert.deepEqual(await codec.decode([plain]), [plain]);
  });

  it('rejects a tampered payload', async () => {
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload(prompt)]);
    const data = Buffer.from(encrypted!.data!);
    data[20] = data[20]! ^ 0x01;
    await assert.rejects(
      codec.decode([{ ...encrypted, data }]),
      (error: Error) =>
        error instanceof PayloadDecryptionError && /failed authentication with key "key-2"/.test(error.message),
    );
  });

  it('rejects a payload whose key id was changed to another known key', async () => {
    const rotating = new AesGcmPayloadCodec(current, [{ id: 'key-1', key: randomBytes(32) }]);
    const [encrypted] = await rotating.encode([defaultPayloadConverter.toPayload(prompt)]);
    const relabelled = { ...encrypted, metadata: { ...encrypted!.metadata, [keyIdMetadataKey]: Buffer.from('key-1') } };
    await assert.rejects(rotating.decode([relabelled]), PayloadDecryptionError);
  });

  it('rejects an unknown key id with a message naming it and the keys it has', async () => {
    const other = new AesGcmPayloadCodec({ id: 'key-9', key: randomBytes(32) });
    const [encrypted] = await other.encode([defaultPayloadConverter.toPayload(prompt)]);
    await assert.rejects(
      codec.decode([encrypted!]),
      (error: Error) =>
        error instanceof PayloadDecryptionError &&
        error.message.includes('"key-9"') &&
        error.message.includes('"key-2"'),
    );
  });

  it('decodes with a previous key after rotation, and encodes with the current one', async () => {
    const old = { id: 'key-1', key: randomBytes(32) };
    const [written] = await new AesGcmPayloadCodec(old).encode([defaultPayloadConverter.toPayload(prompt)]);
    const rotated = new AesGcmPayloadCodec(current, [old]);
    assert.deepEqual(defaultPayloadConverter.fromPayload((await rotated.decode([written!]))[0]!), prompt);
    const [fresh] = await rotated.encode([defaultPayloadConverter.toPayload(prompt)]);
    assert.equal(metadataText(fresh!, keyIdMetadataKey), 'key-2');
  });

  it('refuses a key that is not 32 bytes', () => {
    assert.throws(() => new AesGcmPayloadCodec({ id: 'short', key: randomBytes(16) }), /must be 32 bytes, got 16/);
  });
});
