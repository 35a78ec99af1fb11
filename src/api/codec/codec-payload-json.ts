import type { Payload } from '@temporalio/common';
import { z } from 'zod';

/**
 * The body of the Temporal codec server protocol (`POST …/encode`, `POST …/decode`): payloads in
 * proto3 JSON, so `data` and every metadata value are base64.
 */
export const codecRequestSchema = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), z.string()).nullish(),
      data: z.string().nullish(),
    }),
  ),
});

/** The body the codec endpoints answer with: the payloads encoded or decoded, in the same JSON form. */
export const codecResponseSchema = z
  .object({ payloads: z.array(z.object({ metadata: z.record(z.string(), z.string()), data: z.string() })) })
  .meta({ id: 'CodecPayloads' });

export type JsonPayload = z.infer<typeof codecRequestSchema>['payloads'][number];

const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));
const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

export function fromJsonPayload(payload: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, fromBase64(value)]),
    ),
    data: fromBase64(payload.data ?? ''),
  };
}

export function toJsonPayload(payload: Payload): { metadata: Record<string, string>; data: string } {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, toBase64(value)])),
    data: toBase64(payload.data ?? new Uint8Array()),
  };
}
