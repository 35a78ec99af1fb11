import type { Request } from 'express';
import type { GatewayConfig } from '../../config/gateway-config-schema';
import { policyVersion, trafficClassPolicy } from '../../config/traffic-class-policy';
import type { InferenceInput } from '../../workflows/inference-types';
import type { Admission } from '../admission/inference-admission';

/** Longest session id or feature tag kept; longer values are cut. */
const maxTagLength = 200;

/**
 * The workflow input for an admitted request: who asked (tenant, key, feature, session), how
 * (traffic class, budget tier) and what. The session is `x-session-id`, or the OpenAI `user`
 * field when `routing.sticky.sessionFromUser` is on.
 */
export function inferenceInput<R extends { user?: string } = InferenceInput['request']>(
  request: Request,
  admission: Extract<Admission<unknown>, { admitted: true }>,
  config: GatewayConfig,
  what: Pick<InferenceInput, 'modelGroup' | 'needs' | 'guardrails'> & { request: R; stream?: boolean },
): Omit<InferenceInput, 'request'> & { request: R } {
  const { owner, trafficClass, budget } = admission;
  const session = (
    request.header('x-session-id') ?? (config.routing.sticky.sessionFromUser ? what.request.user : undefined)
  )?.slice(0, maxTagLength);
  const feature = request.header('x-feature')?.slice(0, maxTagLength);
  return {
    tenant: owner?.tenant ?? 'unknown',
    keyId: owner?.keyId,
    ...(feature && { feature }),
    ...(session && { session }),
    modelGroup: what.modelGroup,
    trafficClass,
    ...(budget && { budget }),
    ...(owner?.allowedProviders && { allowedProviders: owner.allowedProviders }),
    ...(owner?.residency && { residency: owner.residency }),
    needs: what.needs,
    request: what.request,
    routing: { policy: trafficClassPolicy(config, trafficClass), policyVersion: policyVersion(config) },
    // Only set when true, so a non-streaming input is exactly what it was before streaming existed.
    ...(what.stream && { stream: true }),
    ...(what.guardrails && { guardrails: what.guardrails }),
  };
}
