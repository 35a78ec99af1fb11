import type { DataConverter, ExternalStorage, PayloadCodec } from '@temporalio/common';

/**
 * The data converter of every gateway client and worker: the SDK's default, plus the payload codec
 * when one is configured, plus the store that keeps large payloads outside history. Client and
 * worker must agree, or one cannot read what the other wrote.
 */
export function gatewayDataConverter(payloadCodec?: PayloadCodec, payloadStorage?: ExternalStorage): DataConverter {
  // Codecs run first, so a stored payload is already encrypted when a codec is set.
  return { payloadCodecs: payloadCodec ? [payloadCodec] : [], ...(payloadStorage && { externalStorage: payloadStorage }) };
}
