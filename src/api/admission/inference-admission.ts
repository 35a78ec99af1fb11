import type { Request } from 'express';
import { trafficClassNames, type GatewayConfig, type TrafficClassName } from '../../config/gateway-config-schema';
import { logger as defaultLogger } from '../../observability/logger';
import { trafficClassPolicy } from '../../config/traffic-class-policy';
import type { BudgetTier } from '../../routing/budget-tier';
import { maximumJitterMs, waitFits } from '../../routing/deferral';
import { assessBudget } from '../../state/budget-assessment';
import type { GatewayStateStore } from '../../state/route-state-store';
import type { ApiDependencies } from '../api-dependencies';
import type { ChatRequest } from '../../providers/canonical-chat';
import type { EmbeddingRequest } from '../../providers/canonical-embedding';
import type { Operation } from '../../config/gateway-config-schema';
import type { RequestNeeds } from '../../routing/routing-types';
import type { KeyOwner } from './gateway-keys';
import type { AdmissionRefusal } from './admission-refusal';
import { applyRequestMaxima } from './request-maxima';

export type { AdmissionRefusal } from './admission-refusal';

/** A reservation in a tenant's or key's window, reconciled with the real tokens once the inference ends. */
interface WindowReservation {
  key: string;
  id: string;
}

/** The request as admitted: held to the key's maximums (a request with no output limit gets the key's). */
interface AdmittedChat {
  request: ChatRequest;
  needs: RequestNeeds;
}

/** An admitted request's embedding request and needs, held to the key's prompt maximum. */
interface AdmittedEmbedding {
  request: EmbeddingRequest;
  needs: RequestNeeds;
}

/** The admission of a request; `held` is the request as admitted (a chat or an embedding request), held to the key's maximums. */
export type Admission<Asked = AdmittedChat> =
  | {
      admitted: true;
      owner: KeyOwner | undefined;
      trafficClass: TrafficClassName;
      budget?: BudgetTier;
      reservations: WindowReservation[];
      held: Asked;
    }
  | { admitted: false; refusal: AdmissionRefusal };

class Refused extends Error {
  constructor(readonly refusal: AdmissionRefusal) {
    super(refusal.message);
  }
}

const stateUnavailable: AdmissionRefusal = {
  status: 503,
  code: 'state_unavailable',
  message:
    'The gateway cannot read its rate-limit and budget state right now, so it refuses rather than ignore the limits; retry shortly.',
};

function isTrafficClass(value: string): value is TrafficClassName {
  return (trafficClassNames as readonly string[]).includes(value);
}

function chooseTrafficClass(request: Request, owner: KeyOwner | undefined): TrafficClassName {
  const trafficClass = request.header('x-traffic-class') ?? owner?.defaultTrafficClass ?? 'standard';
  if (!isTrafficClass(trafficClass)) {
    throw new Refused({
      status: 400,
      code: 'invalid_traffic_class',
      param: 'x-traffic-class',
      message: `Unknown traffic class "${trafficClass}" in x-traffic-class; use one of ${trafficClassNames.join(', ')}.`,
    });
  }
  if (owner?.trafficClasses && !owner.trafficClasses.includes(trafficClass)) {
    throw new Refused({
      status: 403,
      code: 'traffic_class_not_allowed',
      param: 'x-traffic-class',
      message: `This key may not send ${trafficClass} traffic; it may send ${owner.trafficClasses.join(', ')}.`,
    });
  }
  return trafficClass;
}

/**
 * The tenant's budget tier for this class. Refuses explicitly when the budget says no, unless the
 * class waits durably and the budget starts afresh before its deadline: then the tier says until
 * when the inference waits.
 */
async function checkBudget(
  config: GatewayConfig,
  store: GatewayStateStore,
  tenant: string,
  trafficClass: TrafficClassName,
  now: number,
): Promise<BudgetTier | undefined> {
  const { tier, refusal } = await assessBudget(config, store, tenant, trafficClass, now);
  if (!refusal) return tier;
  const policy = trafficClassPolicy(config, trafficClass);
  if (policy.defer && waitFits(0, refusal.resetsAt - now + maximumJitterMs(policy.deadlineMs), policy.deadlineMs))
    return { ...tier!, deferredUntil: new Date(refusal.resetsAt).toISOString() };
  throw new Refused({
    status: 429,
    code: 'budget_exceeded',
    retryAfterSeconds: Math.max(1, Math.ceil((refusal.resetsAt - now) / 1000)),
    message: refusal.message,
  });
}

/** Reserves the request and its tokens in the tenant's and the key's one-minute windows. */
async function reserveWindows(
  store: GatewayStateStore,
  owner: KeyOwner,
  tokens: number,
  now: number,
): Promise<WindowReservation[]> {
  // Each tenant's and each key's limit is its own window: one tenant's burst never uses another's.
  const windows = [
    { key: `tenant/${owner.tenant}`, rpm: owner.tenantRpm, tpm: owner.tenantTpm, who: `tenant "${owner.tenant}"` },
    { key: `key/${owner.tenant}/${owner.keyId}`, rpm: owner.rpm, tpm: owner.tpm, who: `key "${owner.keyId}"` },
  ].filter((window) => window.rpm !== undefined || window.tpm !== undefined);
  const reservations: WindowReservation[] = [];
  for (const window of windows) {
    const id = await store.reserve(window.key, { rpm: window.rpm, tpm: window.tpm }, tokens, now);
    if (!id) {
      const limits = [window.rpm && `${window.rpm} requests`, window.tpm && `${window.tpm} tokens`]
        .filter(Boolean)
        .join(' and ');
      const resetMs = await store.windowResetMs(window.key, now);
      throw new Refused({
        status: 429,
        code: 'rate_limited',
        retryAfterSeconds: Math.max(1, Math.ceil(resetMs / 1000)),
        message: `The ${window.who} has reached its limit of ${limits} per minute (this request needs ${tokens} tokens).`,
      });
    }
    reservations.push({ key: window.key, id });
  }
  return reservations;
}

/** Where each operation is served, for a refusal that names the right endpoint. */
const operationEndpoints: Record<Operation, string> = {
  chat: 'POST /v1/chat/completions (or /v1/messages, /v1/responses)',
  embeddings: 'POST /v1/embeddings',
};

/**
 * Everything checked before an inference starts: the model group exists, serves this operation
 * and the key may use it, the traffic class is known and allowed, the request is within the key's
 * maximums, the tenant's budget allows it, and the key's and tenant's windows have room for its
 * tokens (prompt estimate plus max output).
 */
async function admit<Asked extends { needs: RequestNeeds }>(
  request: Request,
  modelGroup: string,
  operation: Operation,
  holdToMaxima: (owner: KeyOwner | undefined) => { refusal: AdmissionRefusal } | Asked,
  { getConfig, state, logger = defaultLogger }: ApiDependencies,
): Promise<Admission<Asked>> {
  const config = getConfig();
  const owner = request.keyOwner;
  try {
    const group = config.modelGroups.find((candidate) => candidate.name === modelGroup);
    if (!group) {
      throw new Refused({
        status: 404,
        code: 'model_not_found',
        param: 'model',
        message: `The model "${modelGroup}" does not exist; GET /v1/models lists the models you may use.`,
      });
    }
    if (group.operation !== operation) {
      throw new Refused({
        status: 400,
        code: 'wrong_operation',
        param: 'model',
        message: `The model "${modelGroup}" serves ${group.operation}, not ${operation}; send it to ${operationEndpoints[group.operation]}.`,
      });
    }
    if (owner?.modelGroups && !owner.modelGroups.includes(modelGroup)) {
      throw new Refused({
        status: 403,
        code: 'model_not_allowed',
        param: 'model',
        message: `This key may not use the model "${modelGroup}".`,
      });
    }
    const trafficClass = chooseTrafficClass(request, owner);
    const held = holdToMaxima(owner);
    if ('refusal' in held) throw new Refused(held.refusal);
    const tokens = held.needs.estimatedPromptTokens + held.needs.maxOutputTokens;
    if (!owner || !state) return { admitted: true, owner, trafficClass, reservations: [], held };
    const now = Date.now();
    let budget: BudgetTier | undefined;
    let reservations: WindowReservation[];
    try {
      budget = await checkBudget(config, state, owner.tenant, trafficClass, now);
      reservations = await reserveWindows(state, owner, tokens, now);
    } catch (error) {
      if (error instanceof Refused) throw error;
      // Limits fail closed: without the shared state the gateway cannot prove the request is allowed.
      logger.error(
        { tenant: owner.tenant, keyId: owner.keyId, error: (error as Error).message },
        'rate-limit or budget state unavailable',
      );
      throw new Refused(stateUnavailable);
    }
    return { admitted: true, owner, trafficClass, ...(budget && { budget }), reservations, held };
  } catch (error) {
    if (error instanceof Refused) return { admitted: false, refusal: error.refusal };
    throw error;
  }
}

/** Admits a chat request (chat completions, messages, inferences): see `admit`. */
export async function admitInference(
  request: Request,
  modelGroup: string,
  asked: AdmittedChat,
  dependencies: ApiDependencies,
): Promise<Admission> {
  const outputParam =
    (request.body as { max_completion_tokens?: unknown } | undefined)?.max_completion_tokens != null
      ? 'max_completion_tokens'
      : 'max_tokens';
  return admit(
    request,
    modelGroup,
    'chat',
    (owner) => applyRequestMaxima(owner, asked.request, asked.needs, outputParam),
    dependencies,
  );
}

/** Admits an embedding request: see `admit`. The key's prompt maximum holds for the whole batch. */
export async function admitEmbedding(
  request: Request,
  modelGroup: string,
  asked: AdmittedEmbedding,
  dependencies: ApiDependencies,
): Promise<Admission<AdmittedEmbedding>> {
  return admit<AdmittedEmbedding>(
    request,
    modelGroup,
    'embeddings',
    (owner) => {
      const maxPromptTokens = owner?.maxPromptTokens;
      if (maxPromptTokens !== undefined && asked.needs.estimatedPromptTokens > maxPromptTokens) {
        return {
          refusal: {
            status: 400,
            code: 'prompt_too_large',
            param: 'input',
            message: `This request's input is about ${asked.needs.estimatedPromptTokens} tokens; this key allows at most ${maxPromptTokens}.`,
          },
        };
      }
      return asked;
    },
    dependencies,
  );
}

/** Reconciles the window reservations with the tokens the inference really used (0 when it failed). */
export function settleAdmission(
  { state, logger = defaultLogger }: ApiDependencies,
  admission: Extract<Admission<unknown>, { admitted: true }>,
  tokens: number,
): void {
  for (const reservation of admission.reservations) {
    state
      ?.reconcile(reservation.key, reservation.id, tokens, Date.now())
      .catch((error: Error) =>
        logger.warn({ window: reservation.key, error: error.message }, 'could not reconcile a window reservation'),
      );
  }
}
