import { createHash } from 'node:crypto';
import { AesGcmPayloadCodec, payloadKeyBytes, type PayloadKey } from './aes-gcm-payload-codec';

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const keyIdPattern = /^[A-Za-z0-9._-]{1,64}$/;
const howToMakeOne = 'e.g. the output of `openssl rand -base64 32`';

// Error messages name the variable but never echo its value: it is a secret.
function parseKey(raw: string, where: string): Buffer {
  const value = raw.trim();
  if (!base64Pattern.test(value))
    throw new Error(
      `${where} must be ${payloadKeyBytes} random bytes in base64 (${howToMakeOne}); it is not valid base64`,
    );
  const key = Buffer.from(value, 'base64');
  if (key.length !== payloadKeyBytes)
    throw new Error(
      `${where} must be ${payloadKeyBytes} random bytes in base64 (${howToMakeOne}); it decodes to ${key.length} bytes`,
    );
  return key;
}

function checkKeyId(id: string, where: string): string {
  if (!keyIdPattern.test(id)) throw new Error(`${where} must be 1 to 64 letters, digits, ".", "_" or "-"`);
  return id;
}

/** A key id derived from the key, so a new key gets a new id without configuring one. */
export function keyFingerprint(key: Buffer): string {
  return `k${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

function previousKeys(raw: string | undefined): PayloadKey[] {
  if (!raw?.trim()) return [];
  return raw.split(',').map((entry, index) => {
    const where = `GATEWAY_PAYLOAD_PREVIOUS_KEYS entry ${index + 1}`;
    const separator = entry.indexOf(':');
    if (separator < 1) throw new Error(`${where} must be "<key id>:<base64 key>"`);
    return {
      id: checkKeyId(entry.slice(0, separator).trim(), `${where}'s key id`),
      key: parseKey(entry.slice(separator + 1), where),
    };
  });
}

/**
 * The payload codec configured by the environment, or undefined when GATEWAY_PAYLOAD_KEY is unset
 * (payloads are then stored in Temporal as plain JSON). Throws, naming the variable, when a key is
 * malformed.
 *
 * - `GATEWAY_PAYLOAD_KEY`: 32 bytes in base64, the key new payloads are encrypted with.
 * - `GATEWAY_PAYLOAD_KEY_ID`: its id in each payload's metadata; a fingerprint of the key by default.
 * - `GATEWAY_PAYLOAD_PREVIOUS_KEYS`: `id:base64,…`, older keys still accepted for decoding.
 */
export function payloadCodecFromEnvironment(
  environment: NodeJS.ProcessEnv = process.env,
): AesGcmPayloadCodec | undefined {
  const raw = environment.GATEWAY_PAYLOAD_KEY;
  if (!raw?.trim()) {
    for (const dependent of ['GATEWAY_PAYLOAD_KEY_ID', 'GATEWAY_PAYLOAD_PREVIOUS_KEYS']) {
      if (environment[dependent]?.trim())
        throw new Error(
          `${dependent} is set but GATEWAY_PAYLOAD_KEY is not: set the current key too, or unset ${dependent}`,
        );
    }
    return undefined;
  }
  const key = parseKey(raw, 'GATEWAY_PAYLOAD_KEY');
  const configuredId = environment.GATEWAY_PAYLOAD_KEY_ID?.trim();
  const id = configuredId ? checkKeyId(configuredId, 'GATEWAY_PAYLOAD_KEY_ID') : keyFingerprint(key);
  return new AesGcmPayloadCodec({ id, key }, previousKeys(environment.GATEWAY_PAYLOAD_PREVIOUS_KEYS));
}
