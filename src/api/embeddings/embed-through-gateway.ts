import type { TrafficClassName } from '../../config/gateway-config-schema';
import { policyVersion, trafficClassPolicy } from '../../config/traffic-class-policy';
import type { EmbeddingInferenceInput, EmbeddingInferenceResult } from '../../workflows/inference-types';
import type { ApiDependencies } from '../api-dependencies';
import { embeddingNeeds } from './embedding-needs';
import { awaitInference, startInference, type InferenceOutcome } from '../inferences/run-inference';

/** What a feature inside the gateway asks to embed, and for whom. */
export interface GatewayEmbeddingAsk {
  tenant: string;
  /** An `embeddings` model group. */
  modelGroup: string;
  texts: string[];
  /** @default 'standard' */
  trafficClass?: TrafficClassName;
  feature?: string;
}

/**
 * Embeds texts through the gateway's own routing, for features inside the gateway (such as a
 * semantic cache): one `inference` workflow on an embeddings group, with the same selection steps,
 * route quotas, fallbacks, usage and cost as `POST /v1/embeddings`, and the tenant's provider and
 * residency limits. It skips admission (the tenant's windows and budget): the caller has admitted
 * the request it serves. Throws when the group is unknown or does not serve embeddings.
 */
export async function embedThroughGateway(
  dependencies: ApiDependencies,
  ask: GatewayEmbeddingAsk,
): Promise<InferenceOutcome<EmbeddingInferenceResult>> {
  const config = dependencies.getConfig();
  const group = config.modelGroups.find((candidate) => candidate.name === ask.modelGroup);
  if (group?.operation !== 'embeddings') throw new Error(`"${ask.modelGroup}" is not an embeddings model group`);
  const tenant = config.tenants.find((candidate) => candidate.id === ask.tenant);
  const trafficClass = ask.trafficClass ?? tenant?.defaultTrafficClass ?? 'standard';
  const request = { input: ask.texts };
  const input: EmbeddingInferenceInput = {
    operation: 'embeddings',
    tenant: ask.tenant,
    modelGroup: ask.modelGroup,
    trafficClass,
    needs: embeddingNeeds(request),
    request,
    routing: { policy: trafficClassPolicy(config, trafficClass), policyVersion: policyVersion(config) },
    ...(ask.feature && { feature: ask.feature }),
    ...(tenant?.allowedProviders && { allowedProviders: tenant.allowedProviders }),
    ...(tenant?.residency && { residency: tenant.residency }),
  };
  const handle = await startInference(dependencies, input);
  return awaitInference(dependencies, handle, input, performance.now());
}
