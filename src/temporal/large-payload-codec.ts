import { StorageDriverClaim, type Payload, type PayloadCodec, type StorageDriver } from '@temporalio/common';

/** The encoding of a payload that stands for one kept outside Temporal. */
export const storedPayloadEncoding = 'gateway/stored-payload';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What a reference payload's data holds: where the payload is, its digest and its size. */
interface StoredPayloadReference {
  driver: string;
  claim: Record<string, string>;
  bytes: number;
}

const referenceEncoding = encoder.encode(storedPayloadEncoding);

/** Whether a payload is a reference: its encoding's bytes compared as they are, with no decoding. */
function isReference(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  if (!encoding || encoding.byteLength !== referenceEncoding.byteLength) return false;
  return referenceEncoding.every((byte, index) => encoding[index] === byte);
}

/**
 * Keeps every payload whose data reaches the threshold outside Temporal, in a storage driver (files
 * or Redis), and puts a small reference in its place; reads it back on the way in. It is the last
 * codec, so a payload the encryption codec encrypted is stored encrypted.
 *
 * The gateway's own claim check rather than the SDK's `ExternalStorage`: that one measures every
 * payload of every activation and completion by encoding it to protobuf, and builds abort signals
 * for each batch, most of them for payloads of a few hundred bytes. Here a payload's size is its
 * data's length, and a batch with no large payload and no reference is returned as it came.
 */
export class LargePayloadCodec implements PayloadCodec {
  constructor(
    readonly driver: StorageDriver,
    readonly thresholdBytes: number,
  ) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const large = payloads.some((payload) => (payload.data?.byteLength ?? 0) >= this.thresholdBytes);
    if (!large) return payloads;
    return Promise.all(
      payloads.map(async (payload) => {
        const bytes = payload.data?.byteLength ?? 0;
        if (bytes < this.thresholdBytes || isReference(payload)) return payload;
        const [claim] = await this.driver.store({}, [payload]);
        if (!claim) throw new Error(`The payload store ${this.driver.name} returned no claim`);
        const reference: StoredPayloadReference = { driver: this.driver.name, claim: claim.claimData, bytes };
        return { metadata: { encoding: referenceEncoding }, data: encoder.encode(JSON.stringify(reference)) };
      }),
    );
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    if (!payloads.some(isReference)) return payloads;
    return Promise.all(
      payloads.map(async (payload) => {
        if (!isReference(payload)) return payload;
        const reference = JSON.parse(decoder.decode(payload.data ?? new Uint8Array())) as StoredPayloadReference;
        if (reference.driver !== this.driver.name) {
          throw new Error(
            `A payload is stored in ${reference.driver}, but this process reads ${this.driver.name}: the API and every worker need the same REDIS_URL or GATEWAY_PAYLOAD_DIR`,
          );
        }
        const [stored] = await this.driver.retrieve({}, [new StorageDriverClaim(reference.claim)]);
        if (!stored)
          throw new Error(
            `The payload store ${this.driver.name} returned nothing for ${JSON.stringify(reference.claim)}`,
          );
        return stored;
      }),
    );
  }
}
