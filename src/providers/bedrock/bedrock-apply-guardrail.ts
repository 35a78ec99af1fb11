import { ApplyGuardrailCommand, BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { GatewayConfig } from '../../config/gateway-config-schema';
import type { GuardrailStage } from '../../guardrails/guardrail-verdict';
import type { RemoteCheck } from '../../guardrails/pattern-check';
import { createClientCache } from '../client-cache';
import { bedrockCredentials } from './bedrock-credentials';

type BedrockGuardrailCheck = Extract<RemoteCheck, { type: 'bedrock' }>;

/** What ApplyGuardrail said, reduced to what a check acts on (never its assessments, which quote the matches). */
export interface BedrockGuardrailAnswer {
  intervened: boolean;
  /** An assessment blocked (denied topic, word, content filter) rather than only anonymized. */
  blockedByPolicy: boolean;
  /** The texts Bedrock returned, one per text sent when it masked. */
  outputs: string[];
}

const clients = createClientCache<BedrockRuntimeClient>();

/** Whether any assessment, at any depth, says `action: BLOCKED`. */
function anyBlocked(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(anyBlocked);
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, field]) => (key === 'action' && field === 'BLOCKED') || anyBlocked(field));
}

/**
 * Calls ApplyGuardrail with the texts, in the account and region the check names, with the
 * credentials that account's routes use (resolved by reference) and one attempt within the check's timeout.
 */
export async function applyBedrockGuardrail(
  config: GatewayConfig,
  check: BedrockGuardrailCheck,
  stage: GuardrailStage,
  texts: string[],
  environment: NodeJS.ProcessEnv,
): Promise<BedrockGuardrailAnswer> {
  const provider = config.providers.find(
    (candidate) => candidate.id === check.provider && candidate.kind === 'bedrock',
  );
  const account =
    provider?.kind === 'bedrock' ? provider.accounts.find((candidate) => candidate.id === check.account) : undefined;
  const region = account?.regions.find((candidate) => candidate.id === check.region);
  if (!provider || !account || !region)
    throw new Error('the Bedrock account or region of the check is not in the config');
  const credentials = bedrockCredentials(account.credentials, account.id, region.id, environment);
  const identity = 'accessKeyId' in credentials ? credentials.accessKeyId : account.credentials.type;
  const client = clients(
    [provider.id, account.id, region.id, region.baseUrl ?? '', identity, check.timeoutMs],
    () =>
      new BedrockRuntimeClient({
        region: region.id,
        ...(region.baseUrl && { endpoint: region.baseUrl }),
        credentials,
        maxAttempts: 1,
        requestHandler: new NodeHttpHandler({
          connectionTimeout: check.timeoutMs,
          requestTimeout: check.timeoutMs,
          throwOnRequestTimeout: true,
        }),
      }),
  );
  const answer = await client.send(
    new ApplyGuardrailCommand({
      guardrailIdentifier: check.guardrailIdentifier,
      guardrailVersion: check.guardrailVersion,
      source: stage === 'input' ? 'INPUT' : 'OUTPUT',
      content: texts.map((text) => ({ text: { text } })),
    }),
    { abortSignal: AbortSignal.timeout(check.timeoutMs) },
  );
  return {
    intervened: answer.action === 'GUARDRAIL_INTERVENED',
    blockedByPolicy: anyBlocked(answer.assessments),
    outputs: (answer.outputs ?? []).map((output) => output.text ?? ''),
  };
}
