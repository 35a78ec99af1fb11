import type { DataConverter, PayloadCodec } from '@temporalio/common';

/**
 * The data converter of every gateway client and worker: the SDK's default, plus the payload codec
 * when one is configured. Client and worker must agree, or one cannot read what the other wrote.
 */
export function gatewayDataConverter(payloadCodec?: PayloadCodec): DataConverter {
  return { payloadCodecs: payloadCodec ? [payloadCodec] : [] };
}
