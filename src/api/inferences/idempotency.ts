import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { inferenceWorkflowIdPrefix } from '../../workflows/inference-types';
import type { AdmissionRefusal } from '../admission/inference-admission';

/** An `Idempotency-Key` turned into the workflow id it maps to and the body it was sent with. */
export interface Idempotency {
  workflowId: string;
  fingerprint: string;
}

const keyPattern = /^[\x21-\x7e]{1,255}$/;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The workflow id a tenant's `Idempotency-Key` maps to: the same for every repeat of the key. */
export function idempotentWorkflowId(tenant: string, key: string): string {
  return `${inferenceWorkflowIdPrefix}idem-${sha256(`${tenant}\n${key}`).slice(0, 40)}`;
}

/**
 * Reads `Idempotency-Key`: one workflow id per tenant and key, so a repeat joins the first
 * request's inference, and a fingerprint of the body, so a different body can be refused.
 */
export function readIdempotency(request: Request): { idempotency?: Idempotency; refusal?: AdmissionRefusal } {
  const key = request.header('idempotency-key');
  if (key === undefined) return {};
  if (!keyPattern.test(key)) {
    return {
      refusal: {
        status: 400,
        code: 'invalid_idempotency_key',
        param: 'Idempotency-Key',
        message: 'Idempotency-Key must be 1 to 255 visible ASCII characters, such as a UUID.',
      },
    };
  }
  const tenant = request.keyOwner?.tenant ?? 'unknown';
  return {
    idempotency: {
      workflowId: idempotentWorkflowId(tenant, key),
      fingerprint: sha256(`${request.path}\n${JSON.stringify(request.body)}`),
    },
  };
}

export const idempotencyConflict = (message: string): AdmissionRefusal => ({
  status: 409,
  code: 'idempotency_conflict',
  param: 'Idempotency-Key',
  message,
});
