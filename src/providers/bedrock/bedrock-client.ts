import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { BedrockProviderConfig } from './bedrock-provider-config';
import { createClientCache } from '../client-cache';
import type { ProviderChatCall } from '../provider-adapter';
import { bedrockCredentials } from './bedrock-credentials';

/**
 * One Bedrock runtime client per account and region, with one attempt per call. It uses the
 * HTTP/1.1 handler: Converse and InvokeModel need no HTTP/2, and the simulator speaks HTTP/1.1.
 */
export function createBedrockClients() {
  const cached = createClientCache<BedrockRuntimeClient>();
  return ({
    provider,
    account,
    region,
    environment,
  }: Pick<
    ProviderChatCall<BedrockProviderConfig>,
    'provider' | 'account' | 'region' | 'environment'
  >): BedrockRuntimeClient => {
    const credentials = bedrockCredentials(account.credentials, account.id, region.id, environment);
    const identity = 'accessKeyId' in credentials ? credentials.accessKeyId : account.credentials.type;
    return cached(
      [provider.id, account.id, region.id, region.baseUrl ?? '', identity, provider.timeoutMs],
      () =>
        new BedrockRuntimeClient({
          region: region.id,
          ...(region.baseUrl && { endpoint: region.baseUrl }),
          credentials,
          maxAttempts: 1, // Temporal owns retries.
          requestHandler: new NodeHttpHandler({
            connectionTimeout: provider.timeoutMs,
            requestTimeout: provider.timeoutMs,
            throwOnRequestTimeout: true,
          }),
        }),
    );
  };
}
