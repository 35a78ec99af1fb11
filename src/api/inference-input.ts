import type { Request } from 'express';
import type { ChatRequest } from '../providers/canonical-chat';
import type { InferenceInput } from '../workflows/inference-types';
import type { Admission } from './inference-admission';
import { requestNeeds } from './request-needs';

/** The `inference` workflow's input for an admitted request, whichever API shape it came in. */
export function buildInferenceInput(request: Request, admission: Extract<Admission, { admitted: true }>, modelGroup: string, chatRequest: ChatRequest, stream: boolean): InferenceInput {
  const { owner, trafficClass } = admission;
  const session = request.header('x-session-id')?.slice(0, 200);
  const feature = request.header('x-feature')?.slice(0, 200);
  return {
    tenant: owner?.tenant ?? 'unknown',
    keyId: owner?.keyId,
    ...(feature && { feature }),
    ...(session && { session }),
    modelGroup,
    trafficClass,
    ...(owner?.allowedProviders && { allowedProviders: owner.allowedProviders }),
    ...(owner?.residency && { residency: owner.residency }),
    needs: requestNeeds(chatRequest),
    request: chatRequest,
    // Only set when true, so a non-streaming input is exactly what it was before streaming existed.
    ...(stream && { stream: true }),
  };
}
