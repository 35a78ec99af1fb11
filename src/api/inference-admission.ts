import type { Request } from 'express';
import { trafficClassNames, type TrafficClassName } from '../config/gateway-config-schema';
import { logger as defaultLogger } from '../observability/logger';
import type { ApiDependencies } from './api-dependencies';
import type { KeyOwner } from './gateway-keys';

/** Why the gateway refuses a request before starting an inference; each API renders it in its own error shape. */
export interface AdmissionRefusal {
  status: number;
  code: string;
  message: string;
  param?: string;
  retryAfterSeconds?: number;
}

export type Admission =
  | { admitted: true; owner: KeyOwner | undefined; trafficClass: TrafficClassName }
  | { admitted: false; refusal: AdmissionRefusal };

/** Conservative Retry-After for a tenant or key over its per-minute limit: the window's length. */
const rateWindowRetryAfterSeconds = 60;

function isTrafficClass(value: string): value is TrafficClassName {
  return (trafficClassNames as readonly string[]).includes(value);
}

function refuse(refusal: AdmissionRefusal): Admission {
  return { admitted: false, refusal };
}

/**
 * Everything checked before an inference starts: the model group exists and the key may use it,
 * the traffic class is known and allowed, and the key's and tenant's limits have room.
 */
export async function admitInference(request: Request, modelGroup: string, { getConfig, rateLimits, logger = defaultLogger }: ApiDependencies): Promise<Admission> {
  if (!getConfig().modelGroups.some((group) => group.name === modelGroup)) {
    return refuse({ status: 404, code: 'model_not_found', param: 'model', message: `The model "${modelGroup}" does not exist; GET /v1/models lists the models you may use.` });
  }
  const owner = request.keyOwner;
  if (owner?.modelGroups && !owner.modelGroups.includes(modelGroup)) {
    return refuse({ status: 403, code: 'model_not_allowed', param: 'model', message: `This key may not use the model "${modelGroup}".` });
  }
  const trafficClass = request.header('x-traffic-class') ?? owner?.defaultTrafficClass ?? 'standard';
  if (!isTrafficClass(trafficClass)) {
    return refuse({ status: 400, code: 'invalid_traffic_class', param: 'x-traffic-class', message: `Unknown traffic class "${trafficClass}" in x-traffic-class; use one of ${trafficClassNames.join(', ')}.` });
  }
  // Each tenant's and each key's limit is its own window: one tenant's burst never uses another's.
  const windows = [
    ...(owner?.tenantRpm ? [{ key: `tenant/${owner.tenant}`, rpm: owner.tenantRpm, who: `tenant "${owner.tenant}"` }] : []),
    ...(owner?.rpm ? [{ key: `key/${owner.tenant}/${owner.keyId}`, rpm: owner.rpm, who: `key "${owner.keyId}"` }] : []),
  ];
  for (const window of windows) {
    let allowed = true;
    try {
      allowed = !rateLimits || (await rateLimits.reserve(window.key, { rpm: window.rpm }, 0, Date.now())) !== undefined;
    } catch (error) {
      // Limits fail closed: without the shared state the gateway cannot prove the request is allowed.
      logger.error({ tenant: owner?.tenant, keyId: owner?.keyId, error: (error as Error).message }, 'rate-limit state unavailable');
      return refuse({ status: 503, code: 'state_unavailable', message: 'The gateway cannot read its rate-limit state right now, so it refuses rather than ignore the limits; retry shortly.' });
    }
    if (!allowed) {
      return refuse({ status: 429, code: 'rate_limited', retryAfterSeconds: rateWindowRetryAfterSeconds, message: `The ${window.who} has reached its limit of ${window.rpm} requests per minute.` });
    }
  }
  return { admitted: true, owner, trafficClass };
}
