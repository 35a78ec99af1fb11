import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The `encoding` metadata of a payload this codec encrypted. */
export const encryptedEncoding = 'binary/encrypted';
/** Metadata naming the key a payload was encrypted with, so keys can rotate. */
export const keyIdMetadataKey = 'encryption-key-id';
export const payloadKeyBytes = 32;

const cipher = 'aes-256-gcm';
const ivBytes = 12;
const tagBytes = 16;

export interface PayloadKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

/** A payload this codec cannot decrypt: unknown key id, a damaged or tampered payload. */
export class PayloadDecryptionError extends Error {
  override readonly name = 'PayloadDecryptionError';
}

const text = (value: Uint8Array | null | undefined) => (value ? Buffer.from(value).toString('utf8') : undefined);

/**
 * Encrypts each whole payload (data and metadata) with AES-256-GCM and a fresh 12-byte IV.
 * Encodes with `current`; decodes with `current` or any of `previous`, by the key id in the
 * payload's metadata. Payloads that are not encrypted pass through decode unchanged, so history
 * written before the codec was turned on stays readable.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;

  constructor(
    readonly current: PayloadKey,
    previous: PayloadKey[] = [],
  ) {
    this.keys = new Map();
    for (const { id, key } of [current, ...previous]) {
      if (key.length !== payloadKeyBytes)
        throw new Error(`Payload key "${id}" must be ${payloadKeyBytes} bytes, got ${key.length}`);
      if (this.keys.has(id)) throw new Error(`Payload key id "${id}" is given twice`);
      this.keys.set(id, key);
    }
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) =>
      text(payload.metadata?.[METADATA_ENCODING_KEY]) === encryptedEncoding ? this.decrypt(payload) : payload,
    );
  }

  private encrypt(payload: Payload): Payload {
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const iv = randomBytes(ivBytes);
    const encryption = createCipheriv(cipher, this.current.key, iv);
    encryption.setAAD(Buffer.from(this.current.id, 'utf8'));
    const sealed = Buffer.concat([iv, encryption.update(plain), encryption.final(), encryption.getAuthTag()]);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: Buffer.from(encryptedEncoding, 'utf8'),
        [keyIdMetadataKey]: Buffer.from(this.current.id, 'utf8'),
      },
      data: sealed,
    };
  }

  private decrypt(payload: Payload): Payload {
    const keyId = text(payload.metadata?.[keyIdMetadataKey]);
    if (!keyId) throw new PayloadDecryptionError(`Encrypted payload has no "${keyIdMetadataKey}" metadata`);
    const key = this.keys.get(keyId);
    if (!key) {
      throw new PayloadDecryptionError(
        `Encrypted payload names key id "${keyId}", which this gateway does not have (it has ${[...this.keys.keys()].map((id) => `"${id}"`).join(', ')}); set the key in GATEWAY_PAYLOAD_KEY or GATEWAY_PAYLOAD_PREVIOUS_KEYS`,
      );
    }
    const sealed = Buffer.from(payload.data ?? []);
    if (sealed.length < ivBytes + tagBytes)
      throw new PayloadDecryptionError(
        `Encrypted payload is ${sealed.length} bytes, too short to hold an IV and a tag`,
      );
    const decryption = createDecipheriv(cipher, key, sealed.subarray(0, ivBytes));
    decryption.setAAD(Buffer.from(keyId, 'utf8'));
    decryption.setAuthTag(sealed.subarray(sealed.length - tagBytes));
    let plain: Buffer;
    try {
      plain = Buffer.concat([
        decryption.update(sealed.subarray(ivBytes, sealed.length - tagBytes)),
        decryption.final(),
      ]);
    } catch {
      throw new PayloadDecryptionError(
        `Encrypted payload failed authentication with key "${keyId}": it was altered or encrypted with another key of that id`,
      );
    }
    const { metadata, data } = temporal.api.common.v1.Payload.decode(plain);
    return { metadata, data };
  }
}
