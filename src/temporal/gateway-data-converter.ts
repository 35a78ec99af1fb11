import type { DataConverter, PayloadCodec } from '@temporalio/common';
import type { LargePayloadCodec } from './large-payload-codec';

/**
 * The data converter of every gateway client and worker: the SDK's default, plus the payload codec
 * when one is configured, plus the codec that keeps large payloads outside history. Client and
 * worker must agree, or one cannot read what the other wrote.
 */
export function gatewayDataConverter(payloadCodec?: PayloadCodec, payloadStorage?: LargePayloadCodec): DataConverter {
  // Codecs encode in this order and decode in the reverse: a stored payload is already encrypted
  // when a codec is set.
  return { payloadCodecs: [...(payloadCodec ? [payloadCodec] : []), ...(payloadStorage ? [payloadStorage] : [])] };
}
