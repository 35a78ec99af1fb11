import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { loadConfig } from '../../src/config/load-config';
import { removeDataDirectories, startGatewayProcess, started, type Gateway } from '../helpers/gateway-process';

/** Every provider key the default config names, blanked, so `npm start` serves from its simulator. */
function withoutProviderKeys(): Record<string, string> {
  const config = loadConfig('config/gateway.yaml');
  const variables = config.providers.flatMap((provider) =>
    provider.kind === 'bedrock'
      ? provider.accounts.flatMap((account) =>
          account.credentials.type === 'static'
            ? [account.credentials.accessKeyIdEnv, account.credentials.secretAccessKeyEnv]
            : [],
        )
      : provider.accounts.map((account) => account.apiKeyEnv),
  );
  return Object.fromEntries(variables.map((variable) => [variable, '']));
}

describe('npm start serves the default config’s embedding groups from the simulator', () => {
  const devKey = `gw-dev-${randomUUID()}`;
  let gateway: Gateway;

  before(async () => {
    gateway = await startGatewayProcess({
      environment: { ...withoutProviderKeys(), GATEWAY_DEV_KEY: devKey, GATEWAY_CONFIG: 'config/gateway.yaml' },
    });
    await started(gateway);
  });
  after(async () => {
    gateway?.child.kill('SIGTERM');
    await gateway?.exit;
    removeDataDirectories();
  });

  const groups = loadConfig('config/gateway.yaml').modelGroups.filter((group) => group.operation === 'embeddings');

  it('the default config has an embedding group on each provider kind that embeds', () => {
    const kinds = new Set(
      groups.flatMap((group) =>
        group.deployments.map(
          (deployment) =>
            loadConfig('config/gateway.yaml').providers.find((provider) => provider.id === deployment.provider)?.kind,
        ),
      ),
    );
    assert.deepEqual([...kinds].sort(), ['bedrock', 'openai', 'openai-compatible']);
  });

  for (const group of groups) {
    it(`${group.name}: a batch of two vectors through the official openai SDK`, async () => {
      const openai = new OpenAI({ apiKey: devKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
      const { data, response } = await openai.embeddings
        .create({ model: group.name, input: ['one', 'two'] })
        .withResponse();
      assert.equal(data.data.length, 2);
      assert.ok(data.data[0]!.embedding.length > 0);
      assert.notDeepEqual(data.data[0]!.embedding, data.data[1]!.embedding);
      assert.ok(data.usage.prompt_tokens > 0);
      assert.equal(response.headers.get('x-gateway-model'), group.deployments[0]!.model);
    });
  }
});
